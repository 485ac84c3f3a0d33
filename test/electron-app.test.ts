// The built desktop app end to end, in real Electron driven by Playwright: launch it
// with a temporary user-data dir, wait for the bundled server's first `system`
// update, publish a message to that server, and see the message in the history window
// and in the app's record of shown notifications.
//
// Needs the Electron binary, which cannot be downloaded on our build machines: there
// the test is skipped with one line saying why. Where a binary exists
// (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist after
// `node node_modules/electron/install.js`), it runs, on Linux under its own Xvfb
// display (as xvfb-run would give it) and its own D-Bus session.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnostics } from '../main/shell/desktop-app.ts';
import { locateElectronBinary } from '../main/shell/electron-binary.ts';
import { buildAppDir, projectRoot as root } from './electron-app-dir.ts';

const binary = locateElectronBinary({ packageDir: join(root, 'node_modules', 'electron'), env: process.env, platform: process.platform });
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' }).status === 0;
const skipReason = !binary.found
  ? `${binary.reason}; set ELECTRON_OVERRIDE_DIST_PATH or run node node_modules/electron/install.js to run it`
  : needsXvfb && !hasXvfb
    ? 'there is no display and no Xvfb to make one'
    : null;
if (skipReason) console.log(`skipped: the Electron end-to-end test (${skipReason})`);

let xvfb: ChildProcess | null = null;
let dbus: ChildProcess | null = null;
let userData = '';
let appDir = '';
let app: ElectronApplication | null = null;
const env: Record<string, string> = {};

/** Start a child that prints one line (a display number, a bus address) and keep it running. */
function startPrinting(command: string, args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child, line: out.split('\n')[0]!.trim() });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
    child.once('error', reject);
  });
}

async function diagnostics(): Promise<Diagnostics> {
  return app!.evaluate(() => (globalThis as unknown as { heraldDiagnostics(): Diagnostics }).heraldDiagnostics());
}

describe.skipIf(skipReason !== null)('desktop app end to end (Electron)', () => {
  beforeAll(async () => {
    appDir = buildAppDir();
    if (needsXvfb) {
      const display = await startPrinting('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
      xvfb = display.child;
      env.DISPLAY = `:${display.line}`;
    }
    if (spawnSync('sh', ['-c', 'command -v dbus-daemon']).status === 0) {
      const bus = await startPrinting('dbus-daemon', ['--session', '--nofork', '--print-address=1']);
      dbus = bus.child;
      env.DBUS_SESSION_BUS_ADDRESS = bus.line;
    }
    userData = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => {});
    xvfb?.kill();
    dbus?.kill();
    if (userData) rmSync(userData, { recursive: true, force: true });
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  it('shows a message published to the bundled server in the history window and as a notification', async () => {
    app = await _electron.launch({
      executablePath: binary.found ? binary.path : '',
      args: [appDir],
      cwd: appDir,
      env: { ...(process.env as Record<string, string>), ...env, HERALD_USER_DATA_DIR: userData },
      timeout: 60_000,
    });
    const window: Page = await app.firstWindow();
    await window.waitForURL('app://herald/index.html', { timeout: 30_000 });
    // The page has the Bridge and nothing of Node.
    expect(await window.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);

    const bundled = await vi.waitFor(async () => {
      const d = await diagnostics();
      if (!d.bundledServer) throw new Error('the bundled server is not listening yet');
      return d.bundledServer;
    }, { timeout: 30_000, interval: 250 });

    // The first `system` update, through the window's own Bridge (preload, IPC, history).
    await vi.waitFor(async () => {
      const history = await window.evaluate(() => (globalThis as unknown as { heraldBridge: { loadHistory(n: number): Promise<Array<{ event: { type: string; data: { topic: string } } }>> } }).heraldBridge.loadHistory(200));
      expect(history.some((e) => e.event.type === 'update' && e.event.data.topic === 'system')).toBe(true);
    }, { timeout: 30_000, interval: 250 });

    const title = `Deploy finished ${Date.now()}`;
    const response = await fetch(`${bundled.url}/topics/run/e2e`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bundled.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, body: 'all green', priority: 4 }),
    });
    expect(response.status).toBe(201);

    await window.getByText(title).first().waitFor({ state: 'visible', timeout: 15_000 });
    await vi.waitFor(async () => expect((await diagnostics()).shownNotifications.map((n) => n.title)).toContain(title), { timeout: 15_000, interval: 250 });
  }, 180_000);
});
