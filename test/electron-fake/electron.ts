// A small, honest fake of the Electron main-process API the app uses, for running the
// built main bundle under plain Node (test/electron-main-bundle.test.ts). Every member
// is type-checked against Electron's own types (node_modules/electron/electron.d.ts):
// each object `satisfies`, and each class `implements`, a Pick of the real type with
// the members the app uses, so a renamed method, a changed signature or a member the
// app starts using without the fake having it fails `npm run lint`.
//
// It does what Electron would do with each call, as far as the app can observe it, on
// the platform it runs on (Linux here), and reports every call a person would see
// (windows, tray, menus, notifications, pushes to the page) to the test over the fork
// IPC channel. The test drives it back: IPC invokes from a frame URL of its choosing,
// app:// requests, notification clicks, window moves, quit. Behaviours modelled:
// - utilityProcess: a real child that does not exit on an empty event loop, talks
//   through process.parentPort, emits spawn/message/exit and error (utility-process.ts);
// - app: isPackaged, the single-instance lock with `second-instance`, before-quit,
//   the default application menu (with DevTools) when the app sets none;
// - BrowserWindow: Linux's window events (`move`/`resize`; `moved`/`resized` exist
//   on macOS and Windows only);
// - Notification: isSupported, and click/close/failed events;
// - safeStorage: available after ready, with Linux's backend names.
// Test-chosen conditions come from the environment: HERALD_FAKE_ELECTRON_PACKAGED=1,
// HERALD_FAKE_ELECTRON_NOTIFICATIONS=unsupported, HERALD_FAKE_ELECTRON_KEYRING=none.
import { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { fakeSafeStorage } from './safe-storage.ts';
import { FakeUtilityProcess } from './utility-process.ts';

type Real = typeof import('electron');

function report(what: string, data: unknown): void {
  process.send?.({ type: 'report', what, data });
}

const env = process.env;
const paths = new Map<string, string>([['appData', join(tmpdir(), 'herald-fake-appdata')]]);
let quitting = false;
let ready = false;

// ---------------------------------------------------------------------------- app

/** The single-instance lock: a pid file in userData; a second instance leaves its argv beside it. */
const singleton = {
  dir: () => join(paths.get('userData') ?? paths.get('appData')!, 'FakeSingleton'),
  isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  },
  /** True when this process holds the lock (it then watches for second instances). */
  acquire(): boolean {
    const dir = this.dir();
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, 'lock');
    let owner = 0;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      // No lock yet.
    }
    if (owner && owner !== process.pid && this.isAlive(owner)) {
      // Electron blocks here while it hands argv and cwd to the first instance.
      writeFileSync(join(dir, `second-${process.pid}.json`), JSON.stringify({ argv: process.argv, cwd: process.cwd() }));
      return false;
    }
    writeFileSync(lock, String(process.pid));
    const poll = setInterval(() => {
      for (const name of readdirSync(dir).filter((n) => n.startsWith('second-'))) {
        const file = join(dir, name);
        const { argv, cwd } = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[]; cwd: string };
        rmSync(file, { force: true });
        app.emit('second-instance', { preventDefault() {} }, argv, cwd, {});
      }
    }, 50);
    poll.unref();
    return true;
  },
};

const DEFAULT_MENU: Electron.MenuItemConstructorOptions[] = [
  { role: 'fileMenu' },
  { role: 'editMenu' },
  { label: 'View', submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }] },
  { role: 'windowMenu' },
];
let applicationMenu: FakeMenu | null = null;
let applicationMenuSet = false;

type AppMembers =
  | 'isPackaged'
  | 'setPath'
  | 'getPath'
  | 'getVersion'
  | 'getAppPath'
  | 'setAppUserModelId'
  | 'requestSingleInstanceLock'
  | 'whenReady'
  | 'getLoginItemSettings'
  | 'setLoginItemSettings'
  | 'quit'
  | 'exit';

class App extends EventEmitter implements Pick<Electron.App, AppMembers> {
  /** Electron: true unless the executable is Electron's own (a development run). */
  readonly isPackaged = env.HERALD_FAKE_ELECTRON_PACKAGED === '1';
  #loginItem = { openAtLogin: false, args: [] as string[] };
  setPath(name: string, path: string): void {
    paths.set(name, path);
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const path = paths.get(name);
    if (!path) throw new Error(`fake electron: no path "${name}"`);
    return path;
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return process.cwd();
  }
  setAppUserModelId(id: string): void {
    report('app-user-model-id', id);
  }
  requestSingleInstanceLock(): boolean {
    return singleton.acquire();
  }
  whenReady(): Promise<void> {
    return new Promise((resolve) =>
      setImmediate(() => {
        ready = true;
        resolve();
        // Electron sets its default menu (View > Toggle Developer Tools, Ctrl+Shift+I)
        // after `ready` unless the app has set one.
        setImmediate(() => {
          if (!applicationMenuSet) {
            applicationMenu = new FakeMenu(DEFAULT_MENU);
            report('application-menu', { default: true, items: describeMenu(DEFAULT_MENU) });
          }
        });
      }),
    );
  }
  getLoginItemSettings(): Electron.LoginItemSettings {
    return {
      openAtLogin: this.#loginItem.openAtLogin,
      // macOS only; false elsewhere, as Electron reports it.
      wasOpenedAtLogin: false,
      status: 'not-registered',
      executableWillLaunchAtLogin: this.#loginItem.openAtLogin,
      launchItems: [],
    };
  }
  setLoginItemSettings(settings: Electron.Settings): void {
    this.#loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
    report('login-item', settings);
  }
  /** Like Electron: `before-quit` may be prevented; otherwise windows close and the process ends. */
  quit(): void {
    if (quitting) return;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    quitting = true;
    for (const window of BrowserWindow.all) if (!window.isDestroyed()) window.destroy();
    report('quit', null);
    setImmediate(() => process.exit(0));
  }
  exit(code = 0): void {
    report('exit', code);
    process.exit(code);
  }
}
export const app = new App();

// ----------------------------------------------------------- protocol, session, screen

type Handler = (request: Request) => Promise<Response> | Response;
const schemes = new Map<string, Handler>();
export const protocol = {
  registerSchemesAsPrivileged(records: Electron.CustomScheme[]): void {
    // Electron: "This method can only be used before the ready event of the app module gets emitted".
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
    report('privileged-schemes', records);
  },
  handle(scheme: string, handler: Handler): void {
    schemes.set(scheme, handler);
  },
} satisfies Pick<Real['protocol'], 'registerSchemesAsPrivileged' | 'handle'>;

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];
const defaultSession = {
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    handler?.(null as never, 'notifications', (granted) => report('permission-request', { permission: 'notifications', granted }), { requestingUrl: 'app://herald/', isMainFrame: true } as never);
  },
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    report('permission-check', handler?.(null, 'notifications', 'app://herald', { isMainFrame: true, requestingUrl: 'app://herald/' } as never));
  },
} satisfies Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
export const session = { defaultSession: defaultSession as unknown as Electron.Session };

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1280, height: 800 } } as Electron.Display],
} satisfies Pick<Real['screen'], 'getAllDisplays'>;

// ----------------------------------------------------------------- windows

class WebContents extends EventEmitter implements Pick<Electron.WebContents, 'send' | 'setWindowOpenHandler'> {
  send(channel: string, payload: unknown): void {
    report('push', { channel, payload });
  }
  setWindowOpenHandler(handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse): void {
    report('window-open-handler', handler({ url: 'https://example.com/' } as Electron.HandlerDetails));
  }
}

type WindowMembers =
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'focus'
  | 'restore'
  | 'maximize'
  | 'isMinimized'
  | 'isMaximized'
  | 'isVisible'
  | 'getNormalBounds'
  | 'setBounds'
  | 'isDestroyed'
  | 'destroy';

export class BrowserWindow extends EventEmitter implements Pick<Electron.BrowserWindow, WindowMembers> {
  static all: BrowserWindow[] = [];
  readonly webContents = new WebContents();
  #destroyed = false;
  #visible = false;
  #bounds: Electron.Rectangle;
  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.#bounds = { x: options.x ?? 140, y: options.y ?? 50, width: options.width ?? 800, height: options.height ?? 600 };
    BrowserWindow.all.push(this);
    report('window', options);
  }
  async loadURL(url: string): Promise<void> {
    report('load', url);
    setImmediate(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.#visible = true;
    report('window-shown', true);
  }
  hide(): void {
    this.#visible = false;
  }
  focus(): void {}
  restore(): void {}
  maximize(): void {}
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.#visible;
  }
  getNormalBounds(): Electron.Rectangle {
    return { ...this.#bounds };
  }
  /** Also what the user dragging the window does: Linux emits `move` and `resize` only. */
  setBounds(bounds: Partial<Electron.Rectangle>): void {
    const before = this.#bounds;
    this.#bounds = { ...before, ...bounds };
    const moved = before.x !== this.#bounds.x || before.y !== this.#bounds.y;
    const resized = before.width !== this.#bounds.width || before.height !== this.#bounds.height;
    const finalEvents = process.platform === 'darwin' || process.platform === 'win32';
    if (resized) {
      this.emit('resize');
      if (finalEvents) this.emit('resized');
    }
    if (moved) {
      this.emit('move');
      if (finalEvents) this.emit('moved');
    }
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  /** Electron: destroy() emits `closed` but not `close`. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.emit('closed');
  }
}

// ------------------------------------------------------------- tray, menus, images

class FakeNativeImage implements Pick<Electron.NativeImage, 'setTemplateImage' | 'isTemplateImage'> {
  readonly path: string;
  #template = false;
  constructor(path: string) {
    this.path = path;
  }
  setTemplateImage(option: boolean): void {
    this.#template = option;
  }
  isTemplateImage(): boolean {
    return this.#template;
  }
}
const imagePath = (image: Electron.NativeImage | string): string => (typeof image === 'string' ? image : (image as unknown as FakeNativeImage).path);

export const nativeImage = {
  createFromPath: (path: string) => new FakeNativeImage(path) as unknown as Electron.NativeImage,
} satisfies Pick<Real['nativeImage'], 'createFromPath'>;

const menuClicks = new Map<string, () => void>();
type MenuTemplate = Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>;
/** The menu as labels (and roles), registering each click by label for the test to press. */
function describeMenu(items: MenuTemplate): unknown[] {
  return items.map((item) => {
    const { label, role, submenu, click, type, accelerator } = item as Electron.MenuItemConstructorOptions;
    if (click && label) menuClicks.set(label, () => click({} as never, undefined, {} as never));
    const name = label ?? (role ? `role:${role}` : type);
    if (Array.isArray(submenu)) return { [name ?? '']: describeMenu(submenu) };
    return accelerator ? `${name} (${accelerator})` : name;
  });
}

class FakeMenu {
  readonly template: MenuTemplate;
  constructor(template: MenuTemplate) {
    this.template = template;
  }
}
export const Menu = {
  buildFromTemplate: (template: MenuTemplate) => new FakeMenu(template) as unknown as Electron.Menu,
  setApplicationMenu(menu: Electron.Menu | null): void {
    applicationMenuSet = true;
    applicationMenu = menu as unknown as FakeMenu | null;
    report('application-menu', { default: false, items: applicationMenu ? describeMenu(applicationMenu.template) : null });
  },
  getApplicationMenu: () => applicationMenu as unknown as Electron.Menu | null,
} satisfies Pick<typeof Electron.Menu, 'buildFromTemplate' | 'setApplicationMenu' | 'getApplicationMenu'>;

export class Tray extends EventEmitter implements Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy' | 'isDestroyed'> {
  #destroyed = false;
  constructor(image: Electron.NativeImage | string) {
    super();
    report('tray-created', imagePath(image));
    report('tray-image', imagePath(image));
  }
  setImage(image: Electron.NativeImage | string): void {
    report('tray-image', imagePath(image));
  }
  setToolTip(text: string): void {
    report('tray-tooltip', text);
  }
  setContextMenu(menu: Electron.Menu | null): void {
    report('tray-menu', menu ? describeMenu((menu as unknown as FakeMenu).template) : null);
  }
  destroy(): void {
    this.#destroyed = true;
    report('tray-destroyed', true);
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
}

// ----------------------------------------------------------------- notifications

const notificationsSupported = env.HERALD_FAKE_ELECTRON_NOTIFICATIONS !== 'unsupported';
/** Shown notifications by title, for the test to click, close or fail. */
const shownNotifications = new Map<string, Notification>();

export class Notification extends EventEmitter implements Pick<Electron.Notification, 'show' | 'close' | 'title' | 'body'> {
  /** Linux: whether a notification server can be reached; false here when the test says there is none. */
  static isSupported(): boolean {
    return notificationsSupported;
  }
  readonly options: Electron.NotificationConstructorOptions;
  title: string;
  body: string;
  constructor(options: Electron.NotificationConstructorOptions = {}) {
    super();
    this.options = options;
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }
  show(): void {
    // Without a notification server nothing appears and no event ever fires.
    if (!notificationsSupported) return;
    shownNotifications.set(this.title, this);
    report('notification', this.options);
    setImmediate(() => this.emit('show', { preventDefault() {} }));
  }
  close(): void {
    if (shownNotifications.get(this.title) === this) shownNotifications.delete(this.title);
    this.emit('close', { preventDefault() {} });
  }
}

// ----------------------------------------------------------------- safeStorage

export const safeStorage = fakeSafeStorage({ isReady: () => ready, hasKeyring: env.HERALD_FAKE_ELECTRON_KEYRING !== 'none' });

// ----------------------------------------------------------------- ipc, shell, dialog

type InvokeHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();
export const ipcMain = {
  handle(channel: string, handler: (event: Electron.IpcMainInvokeEvent, ...args: any[]) => unknown): void {
    if (invokeHandlers.has(channel)) throw new Error(`fake electron: a second handler for ${channel}`);
    invokeHandlers.set(channel, handler as unknown as InvokeHandler);
  },
  /** electron-store answers its renderer-side helper on a `send` channel; nothing here sends on it. */
  on(_channel: string, _listener: (event: Electron.IpcMainEvent, ...args: any[]) => void): Electron.IpcMain {
    return ipcMain as unknown as Electron.IpcMain;
  },
} satisfies Pick<Real['ipcMain'], 'handle' | 'on'>;

export const shell = {
  openExternal: async (url: string) => report('open-external', url),
} satisfies Pick<Real['shell'], 'openExternal'>;

export const dialog = {
  showErrorBox(title: string, content: string): void {
    report('error-box', { title, content });
  },
} satisfies Pick<Real['dialog'], 'showErrorBox'>;

// ----------------------------------------------------------------- utilityProcess

const utilityProcesses: FakeUtilityProcess[] = [];
export const utilityProcess = {
  fork(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}): Electron.UtilityProcess {
    if (!ready) throw new Error('utilityProcess.fork can only be called after the app is ready');
    report('utility-process', { modulePath, args, serviceName: options.serviceName });
    const child = new FakeUtilityProcess(modulePath, args, options);
    utilityProcesses.push(child);
    child.on('spawn', () => report('utility-process-spawn', child.pid));
    child.on('exit', (code) => report('utility-process-exit', code));
    return child as unknown as Electron.UtilityProcess;
  },
} satisfies Pick<Real['utilityProcess'], 'fork'>;

// ------------------------------------------------------------------- events

/** The classes' static sides: constructors that take what Electron's take, and statics. */
export const staticSides = [
  BrowserWindow satisfies new (options?: Electron.BrowserWindowConstructorOptions) => unknown,
  Tray satisfies new (image: Electron.NativeImage | string) => unknown,
  Notification satisfies Pick<typeof Electron.Notification, 'isSupported'> & (new (options?: Electron.NotificationConstructorOptions) => unknown),
];

/**
 * Never called: it only makes the type checker hold every event the fakes emit (and
 * the app listens to) to the real objects' event names and listener arguments. `on`
 * itself cannot be picked: Electron's returns the full real type.
 */
export function emittedEventsExist(
  a: Electron.App,
  w: Electron.BrowserWindow,
  c: Electron.WebContents,
  t: Electron.Tray,
  n: Electron.Notification,
  u: Electron.UtilityProcess,
): void {
  a.on('before-quit', (event: { preventDefault(): void }) => event.preventDefault());
  a.on('second-instance', (_event: { preventDefault(): void }, _argv: string[], _cwd: string, _data: unknown) => {});
  a.on('activate', () => {});
  a.on('window-all-closed', () => {});
  for (const event of ['move', 'resize', 'maximize', 'unmaximize', 'closed', 'ready-to-show'] as const) w.on(event as 'move', () => {});
  w.on('close', (event: { preventDefault(): void }) => event.preventDefault());
  c.on('will-frame-navigate', (event: { url: string; preventDefault(): void }) => event.preventDefault());
  c.on('will-redirect', (event: { url: string; preventDefault(): void }) => event.preventDefault());
  c.on('will-attach-webview', (event: { preventDefault(): void }) => event.preventDefault());
  t.on('click', () => {});
  n.on('show', () => {});
  n.on('click', () => {});
  n.on('close', () => {});
  n.on('failed', (_event: unknown, _error: string) => {});
  u.on('spawn', () => {});
  u.on('message', (_message: unknown) => {});
  u.on('exit', (_code: number) => {});
  u.on('error', (_type: 'FatalError', _location: string, _report: string) => {});
}

// ----------------------------------------------------------------- the test's side

process.on('message', async (message: { type: string; id?: number; [key: string]: unknown }) => {
  const reply = (data: unknown) => process.send?.({ type: 'reply', id: message.id, data });
  try {
    switch (message.type) {
      case 'invoke': {
        const handler = invokeHandlers.get(message.channel as string);
        if (!handler) return reply({ missing: true });
        const frame = message.frameUrl === null ? null : { url: message.frameUrl as string };
        return reply(await handler({ senderFrame: frame }, ...(message.args as unknown[])));
      }
      case 'fetch': {
        const url = new URL(message.url as string);
        const handler = schemes.get(url.protocol.replace(/:$/, ''));
        if (!handler) return reply({ status: 0 });
        const response = await handler(new Request(url));
        return reply({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
      }
      case 'diagnostics':
        return reply((globalThis as { heraldDiagnostics?: () => unknown }).heraldDiagnostics?.() ?? null);
      case 'navigate': {
        let prevented = false;
        BrowserWindow.all[0]?.webContents.emit('will-frame-navigate', { url: message.url, preventDefault: () => (prevented = true) });
        return reply({ prevented });
      }
      case 'menu-click':
        menuClicks.get(message.label as string)?.();
        return reply(true);
      case 'close-window': {
        const results = BrowserWindow.all.filter((w) => !w.isDestroyed()).map((window) => {
          let prevented = false;
          window.emit('close', { preventDefault: () => (prevented = true) });
          if (!prevented) window.destroy();
          return { prevented };
        });
        return reply(results[0] ?? null);
      }
      case 'move-window': {
        const window = BrowserWindow.all.find((w) => !w.isDestroyed());
        window?.setBounds(message.bounds as Partial<Electron.Rectangle>);
        return reply(window ? window.getNormalBounds() : null);
      }
      case 'notification': {
        const notification = shownNotifications.get(message.title as string);
        if (!notification) return reply(false);
        if (message.action === 'click') notification.emit('click', { preventDefault() {} });
        if (message.action === 'close') notification.close();
        if (message.action === 'fail') notification.emit('failed', { preventDefault() {} }, 'the toast could not be shown');
        return reply(true);
      }
      case 'crash-server': {
        // How a V8 fatal error ends the utility process: an abort.
        const child = utilityProcesses.at(-1);
        if (child?.pid) process.kill(child.pid, 'SIGABRT');
        return reply(child?.pid ?? null);
      }
      case 'quit':
        app.quit();
        return reply(true);
    }
  } catch (error) {
    reply({ error: (error as Error).message });
  }
});

const electron = { app, protocol, session, screen, BrowserWindow, nativeImage, Menu, Tray, Notification, ipcMain, shell, dialog, utilityProcess, safeStorage };
export default electron;
