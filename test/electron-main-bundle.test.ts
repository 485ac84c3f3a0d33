// The built main bundle (dist/main/main.js), run under plain Node with a small fake of
// Electron's API (test/electron-fake/): everything of the app is real (the bundle as
// shipped, electron-store files, SQLite history, the bundled server in a child process,
// the subscription over real SSE), only what Electron itself would draw or route is
// faked, and reported here. Complements test/electron-app.test.ts, which needs the
// real Electron binary.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../main/shell/content-security-policy.ts';
import type { Diagnostics } from '../main/shell/desktop-app.ts';
import { buildAppDir, projectRoot as root } from './electron-app-dir.ts';

const PAGE = 'app://herald/index.html';

let appDir: string;
let userData: string;
let child: ChildProcess;
const reports: Array<{ what: string; data: unknown }> = [];
const pending = new Map<number, (data: unknown) => void>();
let nextId = 1;

function ask<T>(message: Record<string, unknown>): Promise<T> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve as (data: unknown) => void);
    child.send({ ...message, id });
  });
}

function reported(what: string): unknown[] {
  return reports.filter((r) => r.what === what).map((r) => r.data);
}

const invoke = <T>(channel: string, args: unknown[] = [], frameUrl: string | null = PAGE) =>
  ask<{ ok: true; value: T } | { ok: false; error: string }>({ type: 'invoke', channel: `herald:${channel}`, args, frameUrl });

beforeAll(async () => {
  appDir = buildAppDir();
  userData = mkdtempSync(join(tmpdir(), 'herald-main-bundle-'));
  child = fork(join(appDir, 'dist', 'main', 'main.js'), [], {
    cwd: appDir,
    execArgv: ['--import', join(root, 'test', 'electron-fake', 'register.ts')],
    env: { ...process.env, HERALD_USER_DATA_DIR: userData },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', (message: { type: string; id?: number; what?: string; data: unknown }) => {
    if (message.type === 'report') reports.push({ what: message.what!, data: message.data });
    if (message.type === 'reply') pending.get(message.id!)?.(message.data);
  });
  await vi.waitFor(() => expect(reported('load')).toEqual([PAGE]), { timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  rmSync(userData, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

describe('the built main process (under a fake Electron)', () => {
  it('registers app:// as privileged before ready and serves the window from it with the CSP', async () => {
    expect(reported('privileged-schemes')).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    const page = await ask<{ status: number; headers: Record<string, string>; body: string }>({ type: 'fetch', url: PAGE });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    expect((await ask<{ status: number }>({ type: 'fetch', url: 'app://herald/../main/main.js' })).status).toBe(404);
    expect(reported('permission-request')).toEqual([{ permission: 'notifications', granted: false }]);
  });

  it('creates the window with the secure options and the built preload', () => {
    const [options] = reported('window') as Array<{ show: boolean; webPreferences: Record<string, unknown> }>;
    expect(options!.show).toBe(false);
    expect(options!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(options!.webPreferences.preload).toBe(join(appDir, 'dist', 'preload.cjs'));
    expect(existsSync(options!.webPreferences.preload as string)).toBe(true);
    expect(reported('window-open-handler')).toEqual([{ action: 'deny' }]);
  });

  it('blocks navigation, sending http(s) links to the browser', async () => {
    expect(await ask({ type: 'navigate', url: 'https://example.com/run/1' })).toEqual({ prevented: true });
    expect(await ask({ type: 'navigate', url: 'file:///etc/passwd' })).toEqual({ prevented: true });
    expect(reported('open-external')).toContain('https://example.com/run/1');
    expect(reported('open-external')).not.toContain('file:///etc/passwd');
  });

  it('answers IPC only from the app page', async () => {
    expect(await invoke('settings:load')).toMatchObject({ ok: true, value: { bundledServer: { enabled: true, port: 0 } } });
    expect(await invoke('settings:load', [], 'https://evil.example/')).toMatchObject({ ok: false, error: expect.stringContaining('not the app') });
    expect(await invoke('settings:load', [], null)).toMatchObject({ ok: false });
    expect(statSync(join(userData, 'settings.json')).isFile()).toBe(true);
  });

  it('runs the bundled server in a utility process with the install token, and shows a published message', async () => {
    const [launch] = reported('utility-process') as Array<{ modulePath: string; args: string[]; serviceName: string }>;
    expect(launch!.modulePath).toBe(join(appDir, 'dist', 'server', 'herald-server.js'));
    expect(launch!.args).toEqual(['--token-file', join(userData, 'server-token'), '--data-dir', join(userData, 'server'), '--port', '0']);
    const bundled = await vi.waitFor(async () => {
      const d = await ask<Diagnostics>({ type: 'diagnostics' });
      if (!d.bundledServer) throw new Error('not listening yet');
      return d.bundledServer;
    }, { timeout: 15_000 });
    expect(bundled.token).toBe(readFileSync(join(userData, 'server-token'), 'utf8').trim());
    if (process.platform !== 'win32') expect(statSync(join(userData, 'server-token')).mode & 0o777).toBe(0o600);

    const response = await fetch(`${bundled.url}/topics/run/bundle-check`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bundled.token}`, Title: 'Bundle check', Priority: '5' },
      body: 'the built app notifies',
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await vi.waitFor(() => expect(reported('notification')).toContainEqual({ title: 'Bundle check', body: 'the built app notifies', urgency: 'critical', timeoutType: 'never' }), { timeout: 10_000 });
    await vi.waitFor(() => expect(JSON.stringify(reported('push'))).toContain(id));
    const history = await invoke<Array<{ server: string; event: { id: string } }>>('history:load', [50]);
    expect(history.ok && history.value.some((e) => e.server === 'bundled' && e.event.id === id)).toBe(true);
  });

  it('keeps a tray with the state icon, a tooltip and the menu', async () => {
    await vi.waitFor(() => expect(reported('tray-tooltip').length).toBeGreaterThan(0));
    for (const image of reported('tray-image')) expect(existsSync(image as string)).toBe(true);
    const menu = JSON.stringify(reported('tray-menu').at(-1));
    for (const label of ['Open history', 'Recent events', 'Pause notifications', 'Servers', 'Start at login', 'Quit Herald']) expect(menu).toContain(label);
  });

  it('hides the window on close and quits from the tray, stopping the bundled server', async () => {
    expect(await ask({ type: 'close-window' })).toEqual({ prevented: true });
    const { bundledServer } = await ask<Diagnostics>({ type: 'diagnostics' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await ask({ type: 'menu-click', label: 'Quit Herald' });
    expect(await exited).toBe(0);
    await expect(fetch(`${bundledServer!.url}/health`)).rejects.toThrow();
  });
});
