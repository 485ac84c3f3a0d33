// A small, honest fake of the Electron main-process API the app uses, for running the
// built main bundle under plain Node (test/electron-main-bundle.test.ts). It does what
// Electron would do with each call, as far as the app can observe it, and reports
// every call a person would see (windows, tray, notifications, pushes to the page) to
// the test over the fork IPC channel. The test drives it back: IPC invokes from a
// frame URL of its choosing, app:// requests, quit. utilityProcess is a Node fork of
// the same entry (process.send stands in for parentPort).
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function report(what: string, data: unknown): void {
  process.send?.({ type: 'report', what, data });
}

const paths = new Map<string, string>([['appData', join(tmpdir(), 'herald-fake-appdata')]]);
let quitting = false;
let ready = false;

class App extends EventEmitter {
  isPackaged = false;
  setPath(name: string, path: string): void {
    paths.set(name, path);
  }
  getPath(name: string): string {
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
    return true;
  }
  whenReady(): Promise<void> {
    return new Promise((resolve) =>
      setImmediate(() => {
        ready = true;
        resolve();
      }),
    );
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: false };
  }
  setLoginItemSettings(settings: unknown): void {
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

type Handler = (request: Request) => Promise<Response> | Response;
const schemes = new Map<string, Handler>();
export const protocol = {
  registerSchemesAsPrivileged(records: unknown): void {
    // Electron: "This method can only be used before the ready event of the app module gets emitted".
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
    report('privileged-schemes', records);
  },
  handle(scheme: string, handler: Handler): void {
    schemes.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
      handler(null, 'notifications', (granted) => report('permission-request', { permission: 'notifications', granted }));
    },
    setPermissionCheckHandler(handler: () => boolean): void {
      report('permission-check', handler());
    },
  },
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1280, height: 800 } }],
};

class WebContents extends EventEmitter {
  send(channel: string, payload: unknown): void {
    report('push', { channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    report('window-open-handler', handler({ url: 'https://example.com/' }));
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  readonly webContents = new WebContents();
  #destroyed = false;
  #visible = false;
  constructor(options: Record<string, unknown>) {
    super();
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
  getNormalBounds() {
    return { x: 10, y: 10, width: 1000, height: 700 };
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  destroy(): void {
    this.#destroyed = true;
    this.emit('closed');
  }
}

export const nativeImage = {
  createFromPath: (path: string) => ({ path, setTemplateImage() {} }),
};

interface MenuTemplateItem {
  label?: string;
  type?: string;
  submenu?: MenuTemplateItem[];
  click?: () => void;
}
const menuClicks = new Map<string, () => void>();
function labels(items: MenuTemplateItem[]): unknown[] {
  return items.map((item) => {
    if (item.click && item.label) menuClicks.set(item.label, item.click);
    return item.submenu ? { [item.label ?? '']: labels(item.submenu) } : (item.label ?? item.type);
  });
}
export const Menu = {
  buildFromTemplate: (template: MenuTemplateItem[]) => ({ template }),
};

export class Tray extends EventEmitter {
  constructor(image: { path: string }) {
    super();
    report('tray-image', image.path);
  }
  setImage(image: { path: string }): void {
    report('tray-image', image.path);
  }
  setToolTip(text: string): void {
    report('tray-tooltip', text);
  }
  setContextMenu(menu: { template: MenuTemplateItem[] }): void {
    report('tray-menu', labels(menu.template));
  }
  destroy(): void {}
}

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly options: Record<string, unknown>;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
  }
  show(): void {
    report('notification', this.options);
  }
}

type InvokeHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();
export const ipcMain = {
  handle(channel: string, handler: InvokeHandler): void {
    if (invokeHandlers.has(channel)) throw new Error(`fake electron: a second handler for ${channel}`);
    invokeHandlers.set(channel, handler);
  },
  on(): void {},
};

export const shell = {
  openExternal: async (url: string) => report('open-external', url),
  openPath: async () => '',
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    report('error-box', { title, content });
  },
};

export const utilityProcess = {
  fork(modulePath: string, args: string[], options: { serviceName?: string }) {
    if (!ready) throw new Error('utilityProcess.fork can only be called after the app is ready');
    report('utility-process', { modulePath, args, serviceName: options.serviceName });
    const child = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const emitter = new EventEmitter();
    child.on('message', (message) => emitter.emit('message', message));
    child.on('exit', (code) => emitter.emit('exit', code ?? 1));
    return Object.assign(emitter, {
      postMessage: (message: unknown) => child.send(message as object),
      kill: () => child.kill(),
      pid: child.pid,
    });
  },
};

// The test's side of the conversation.
process.on('message', async (message: { type: string; id?: number; [key: string]: unknown }) => {
  const reply = (data: unknown) => process.send?.({ type: 'reply', id: message.id, data });
  try {
    if (message.type === 'invoke') {
      const handler = invokeHandlers.get(message.channel as string);
      if (!handler) return reply({ missing: true });
      const frame = message.frameUrl === null ? null : { url: message.frameUrl as string };
      return reply(await handler({ senderFrame: frame }, ...(message.args as unknown[])));
    }
    if (message.type === 'fetch') {
      const url = new URL(message.url as string);
      const handler = schemes.get(url.protocol.replace(/:$/, ''));
      if (!handler) return reply({ status: 0 });
      const response = await handler(new Request(url));
      return reply({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
    }
    if (message.type === 'diagnostics') {
      return reply((globalThis as { heraldDiagnostics?: () => unknown }).heraldDiagnostics?.() ?? null);
    }
    if (message.type === 'navigate') {
      let prevented = false;
      BrowserWindow.all[0]?.webContents.emit('will-frame-navigate', { url: message.url, preventDefault: () => (prevented = true) });
      return reply({ prevented });
    }
    if (message.type === 'menu-click') {
      menuClicks.get(message.label as string)?.();
      return reply(true);
    }
    if (message.type === 'close-window') {
      for (const window of BrowserWindow.all) {
        let prevented = false;
        window.emit('close', { preventDefault: () => (prevented = true) });
        if (!prevented) window.destroy();
        reply({ prevented });
      }
      return;
    }
    if (message.type === 'quit') {
      app.quit();
      return reply(true);
    }
  } catch (error) {
    reply({ error: (error as Error).message });
  }
});

const electron = { app, protocol, session, screen, BrowserWindow, nativeImage, Menu, Tray, Notification, ipcMain, shell, dialog, utilityProcess };
export default electron;
