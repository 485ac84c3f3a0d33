// The built main bundle (dist/main/main.js), run under plain Node with a small fake of
// Electron's API (test/electron-fake/, type-checked against Electron's own types):
// everything of the app is real (the bundle as shipped, electron-store files, SQLite
// history, the bundled server in a child process that behaves like a utilityProcess,
// the subscription over real SSE), only what Electron itself would draw or route is
// faked, and reported here. Complements test/electron-app.test.ts, which needs the
// real Electron binary.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../main/shell/content-security-policy.ts';
import { NOTIFICATIONS_UNSUPPORTED_NOTICE, type Diagnostics } from '../main/shell/desktop-app.ts';
import { PLAINTEXT_TOKENS_NOTICE, TOKENS_FILE_NAME } from '../main/shell/token-vault.ts';
import { defaultSettings, type Settings } from '../main/core/settings/settings-schema.ts';
import { buildAppDir } from './electron-app-dir.ts';
import { APP_PAGE as PAGE, FakeElectronApp } from './electron-fake/app-driver.ts';

const TOKEN = 'remote-token-4e1f0b-do-not-leak';
let appDir: string;
const userDirs: string[] = [];
const apps: FakeElectronApp[] = [];

function launch(env: NodeJS.ProcessEnv = {}, userData = mkdtempSync(join(tmpdir(), 'herald-main-bundle-'))): { app: FakeElectronApp; userData: string } {
  userDirs.push(userData);
  const app = new FakeElectronApp({ appDir, userData, env });
  apps.push(app);
  return { app, userData };
}

async function bundledServer(app: FakeElectronApp) {
  return vi.waitFor(async () => {
    const d = await app.ask<Diagnostics>({ type: 'diagnostics' });
    if (!d.bundledServer) throw new Error('the bundled server is not listening yet');
    return d.bundledServer;
  }, { timeout: 15_000 });
}

async function publish(server: { url: string; token: string }, topic: string, title: string): Promise<string> {
  const response = await fetch(`${server.url}/topics/${topic}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, Title: title, Priority: '5' },
    body: 'the built app notifies',
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const withRemoteServer = (settings: Settings): Settings => ({
  ...settings,
  servers: [{ id: 'ci', name: 'CI', url: 'http://127.0.0.1:9/', token: TOKEN, topics: ['job/**'], enabled: false }],
});

beforeAll(() => {
  appDir = buildAppDir();
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill()));
  for (const dir of userDirs) rmSync(dir, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

describe('the built main process (under a fake Electron)', () => {
  let app: FakeElectronApp;
  let userData: string;
  beforeAll(async () => {
    ({ app, userData } = launch());
    await vi.waitFor(() => expect(app.reported('load')).toEqual([PAGE]), { timeout: 15_000 });
  }, 60_000);

  it('registers app:// as privileged before ready and serves the window from it with the CSP', async () => {
    expect(app.reported('privileged-schemes')).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    const page = await app.ask<{ status: number; headers: Record<string, string>; body: string }>({ type: 'fetch', url: PAGE });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    expect((await app.ask<{ status: number }>({ type: 'fetch', url: 'app://herald/../main/main.js' })).status).toBe(404);
    expect(app.reported('permission-request')).toEqual([{ permission: 'notifications', granted: false }]);
  });

  it('creates the window with the secure options, the built preload and the app icon', () => {
    const [options] = app.reported('window') as Array<{ show: boolean; icon: string; webPreferences: Record<string, unknown> }>;
    expect(options!.show).toBe(false);
    expect(options!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: true });
    expect(options!.webPreferences.preload).toBe(join(appDir, 'dist', 'preload.cjs'));
    expect(existsSync(options!.webPreferences.preload as string)).toBe(true);
    expect(existsSync(options!.icon)).toBe(true);
    expect(app.reported('window-open-handler')).toEqual([{ action: 'deny' }]);
  });

  it('sets its own application menu, with Quit (DevTools only in development)', () => {
    const menus = app.reported('application-menu') as Array<{ default: boolean; items: unknown[] }>;
    expect(menus.at(-1)!.default).toBe(false);
    const menu = JSON.stringify(menus.at(-1)!.items);
    expect(menu).toContain('Quit Herald (CmdOrCtrl+Q)');
    expect(menu).toContain('role:toggleDevTools');
  });

  it('blocks navigation, sending http(s) links to the browser', async () => {
    expect(await app.ask({ type: 'navigate', url: 'https://example.com/run/1' })).toEqual({ prevented: true });
    expect(await app.ask({ type: 'navigate', url: 'file:///etc/passwd' })).toEqual({ prevented: true });
    expect(app.reported('open-external')).toContain('https://example.com/run/1');
    expect(app.reported('open-external')).not.toContain('file:///etc/passwd');
  });

  it('answers IPC only from the app page', async () => {
    expect(await app.invoke('settings:load')).toMatchObject({ ok: true, value: { bundledServer: { enabled: true, port: 0 } } });
    expect(await app.invoke('settings:load', [], 'https://evil.example/')).toMatchObject({ ok: false, error: expect.stringContaining('not the app') });
    expect(await app.invoke('settings:load', [], null)).toMatchObject({ ok: false });
    expect(statSync(join(userData, 'settings.json')).isFile()).toBe(true);
  });

  it('runs the bundled server in a utility process with the install token, and shows a published message', async () => {
    const [launched] = app.reported('utility-process') as Array<{ modulePath: string; args: string[]; serviceName: string }>;
    expect(launched!.modulePath).toBe(join(appDir, 'dist', 'server', 'herald-server.js'));
    expect(launched!.args).toEqual(['--token-file', join(userData, 'server-token'), '--data-dir', join(userData, 'server'), '--port', '0']);
    const bundled = await bundledServer(app);
    expect(bundled.token).toBe(readFileSync(join(userData, 'server-token'), 'utf8').trim());
    if (process.platform !== 'win32') expect(statSync(join(userData, 'server-token')).mode & 0o777).toBe(0o600);

    const id = await publish(bundled, 'run/bundle-check', 'Bundle check');
    await vi.waitFor(() => expect(app.reported('notification')).toContainEqual({ title: 'Bundle check', body: 'the built app notifies', urgency: 'critical', timeoutType: 'never' }), { timeout: 10_000 });
    await vi.waitFor(() => expect(JSON.stringify(app.reported('push'))).toContain(id));
    const history = await app.invoke<Array<{ server: string; event: { id: string } }>>('history:load', [50]);
    expect(history.ok && history.value.some((e) => e.server === 'bundled' && e.event.id === id)).toBe(true);
    // A click on the notification opens the window at that event.
    expect(await app.ask({ type: 'notification', title: 'Bundle check', action: 'click' })).toBe(true);
    await vi.waitFor(() => expect(app.reported('push')).toContainEqual({ channel: 'herald:reveal', payload: { server: 'bundled', id } }));
  });

  it('keeps a tray with the state icon, a tooltip and the menu', async () => {
    expect(app.reported('tray-created')).toHaveLength(1);
    await vi.waitFor(() => expect(app.reported('tray-tooltip').length).toBeGreaterThan(0));
    for (const image of app.reported('tray-image')) expect(existsSync(image as string)).toBe(true);
    const menu = JSON.stringify(app.reported('tray-menu').at(-1));
    for (const label of ['Open history', 'Recent events', 'Pause notifications', 'Servers', 'Start at login', 'Quit Herald']) expect(menu).toContain(label);
  });

  it('restarts the bundled server after a fatal error in its utility process (the `error` event), on the same port', async () => {
    const before = await bundledServer(app);
    expect(await app.ask<number | null>({ type: 'crash-server' })).not.toBeNull();
    await vi.waitFor(() => expect(app.reported('utility-process')).toHaveLength(2), { timeout: 15_000 });
    expect(app.child.exitCode).toBeNull();
    const after = await bundledServer(app);
    expect(after.url).toBe(before.url);
    await vi.waitFor(async () => expect((await fetch(`${after.url}/health`)).status).toBe(200), { timeout: 10_000 });
  });

  it('encrypts a remote server token with safeStorage: never in a file in the clear', async () => {
    const loaded = await app.invoke<Settings>('settings:load');
    if (!loaded.ok) throw new Error(loaded.error);
    expect(await app.invoke('settings:save', [withRemoteServer(loaded.value)])).toMatchObject({ ok: true });
    expect(readFileSync(join(userData, 'settings.json'), 'utf8')).not.toContain(TOKEN);
    expect(readFileSync(join(userData, TOKENS_FILE_NAME), 'utf8')).not.toContain(TOKEN);
    expect(await app.invoke('settings:load')).toMatchObject({ ok: true, value: { servers: [{ id: 'ci', token: TOKEN }] } });
    expect((await app.ask<Diagnostics>({ type: 'diagnostics' })).notices).toEqual([]);
  });

  it('opens the window when the app is started a second time (second-instance), and the second one quits', async () => {
    const shownBefore = app.reported('window-shown').length;
    await app.ask({ type: 'close-window' });
    const second = launch({}, userData).app;
    expect(await second.exited()).toBe(0);
    await vi.waitFor(() => expect(app.reported('window-shown').length).toBeGreaterThan(shownBefore), { timeout: 10_000 });
  });

  it('saves where the window was moved on Linux (move/resize events) when quitting from the tray', async () => {
    expect(await app.ask({ type: 'move-window', bounds: { x: 321, y: 123, width: 1111, height: 777 } })).toEqual({ x: 321, y: 123, width: 1111, height: 777 });
    const { bundledServer: server } = await app.ask<Diagnostics>({ type: 'diagnostics' });
    await app.ask({ type: 'menu-click', label: 'Quit Herald' });
    expect(await app.exited()).toBe(0);
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toMatchObject({ bounds: { x: 321, y: 123, width: 1111, height: 777 } });
    // Quitting stopped the bundled server.
    await expect(fetch(`${server!.url}/health`)).rejects.toThrow();
  });
});

describe('the packaged app where Linux has no notification server and no keyring', () => {
  let app: FakeElectronApp;
  let userData: string;
  beforeAll(async () => {
    ({ app, userData } = launch({ HERALD_FAKE_ELECTRON_PACKAGED: '1', HERALD_FAKE_ELECTRON_NOTIFICATIONS: 'unsupported', HERALD_FAKE_ELECTRON_KEYRING: 'none' }));
    await vi.waitFor(() => expect(app.reported('load')).toEqual([PAGE]), { timeout: 15_000 });
  }, 60_000);

  it('turns DevTools off and sets a menu without them, so Ctrl+Shift+I opens nothing', () => {
    const [options] = app.reported('window') as Array<{ webPreferences: Record<string, unknown> }>;
    expect(options!.webPreferences.devTools).toBe(false);
    const menus = app.reported('application-menu') as Array<{ default: boolean; items: unknown[] }>;
    expect(menus.map((m) => m.default)).toEqual([false]);
    expect(JSON.stringify(menus[0]!.items)).not.toContain('toggleDevTools');
    expect(JSON.stringify(menus[0]!.items)).toContain('Quit Herald');
  });

  it('records no notification as shown, says so once on the tray, and keeps the history', async () => {
    const server = await bundledServer(app);
    const id = await publish(server, 'run/no-daemon', 'Nobody sees this');
    await vi.waitFor(async () => {
      const history = await app.invoke<Array<{ event: { id: string } }>>('history:load', [50]);
      expect(history.ok && history.value.some((e) => e.event.id === id)).toBe(true);
    }, { timeout: 10_000 });
    const d = await app.ask<Diagnostics>({ type: 'diagnostics' });
    expect(d.notificationsSupported).toBe(false);
    expect(d.shownNotifications).toEqual([]);
    expect(app.reported('notification')).toEqual([]);
    expect(d.notices).toEqual([NOTIFICATIONS_UNSUPPORTED_NOTICE]);
    expect(JSON.stringify(app.reported('tray-menu').at(-1))).toContain(NOTIFICATIONS_UNSUPPORTED_NOTICE.slice(0, 40));
  });

  it('keeps a token in the owner-only settings file where there is no keyring, and says so', async () => {
    expect(await app.invoke('settings:save', [withRemoteServer(structuredClone(defaultSettings))])).toMatchObject({ ok: true });
    expect(readFileSync(join(userData, 'settings.json'), 'utf8')).toContain(TOKEN);
    expect(statSync(join(userData, 'settings.json')).mode & 0o777).toBe(0o600);
    await vi.waitFor(async () => expect((await app.ask<Diagnostics>({ type: 'diagnostics' })).notices).toContain(PLAINTEXT_TOKENS_NOTICE));
  });
});
