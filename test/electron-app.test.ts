// The built desktop app end to end, in real Electron driven by Playwright: launch it
// with a temporary user-data dir, see its tray created, wait for the bundled server's
// first `system` update, publish a message to that server, see the message as a
// notification and in the history window, and quit: the bundled server stops too.
//
// Needs the Electron binary, which cannot be downloaded on our build machines: there,
// and only there, the test is skipped with one line saying why. Where a binary exists
// (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist after
// `node node_modules/electron/install.js`, as .github/workflows/desktop.yml does on
// Linux, macOS and Windows), it runs; on Linux without a display under its own Xvfb
// (xvfb-run gives one in CI), always with its own D-Bus session, and with dunst as the
// notification server when it is installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnostics } from '../main/shell/desktop-app.ts';
import { locateElectronBinary } from '../main/shell/electron-binary.ts';
import { buildAppDir, projectRoot as root } from './electron-app-dir.ts';
import { startPrintingDaemon } from './support/printing-daemon.ts';

const binary = locateElectronBinary({ packageDir: join(root, 'node_modules', 'electron'), env: process.env, platform: process.platform });
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const has = (tool: string) => process.platform !== 'win32' && spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
// Skipped only where there is no Electron binary; anything else missing is a failure.
const skipReason = binary.found ? null : `${binary.reason}; set ELECTRON_OVERRIDE_DIST_PATH or run node node_modules/electron/install.js to run it`;
if (skipReason) console.log(`skipped: the Electron end-to-end test (${skipReason})`);

const daemons: ChildProcess[] = [];
let userData = '';
let appDir = '';
let app: ElectronApplication | null = null;
const env: Record<string, string> = {};

async function diagnostics(): Promise<Diagnostics> {
  return app!.evaluate(() => (globalThis as unknown as { heraldDiagnostics(): Diagnostics }).heraldDiagnostics());
}

describe.skipIf(skipReason !== null)('desktop app end to end (Electron)', () => {
  beforeAll(async () => {
    appDir = buildAppDir();
    if (needsXvfb) {
      if (!has('Xvfb')) throw new Error('there is no display and no Xvfb to make one: run under xvfb-run, or install Xvfb (Debian: xvfb)');
      const display = await startPrintingDaemon('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
      daemons.push(display.child);
      env.DISPLAY = `:${display.line}`;
    }
    if (has('dbus-daemon')) {
      const bus = await startPrintingDaemon('dbus-daemon', ['--session', '--nofork', '--print-address=1']);
      daemons.push(bus.child);
      env.DBUS_SESSION_BUS_ADDRESS = bus.line;
      if (has('dunst')) daemons.push(spawn('dunst', [], { env: { ...process.env, ...env }, stdio: 'ignore' }));
    }
    userData = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => {});
    for (const daemon of daemons) daemon.kill();
    if (userData) rmSync(userData, { recursive: true, force: true });
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  it('creates its tray, shows a message published to the bundled server as a notification and in the history window, and stops the server on quit', async () => {
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

    // The tray exists and shows an icon that exists.
    const tray = await vi.waitFor(async () => {
      const d = await diagnostics();
      if (!d.tray) throw new Error('the tray has not been drawn yet');
      return d.tray;
    }, { timeout: 30_000, interval: 250 });
    expect(existsSync(tray.image)).toBe(true);
    expect(JSON.stringify(tray.menu)).toContain('Quit Herald');

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
    const shown = await vi.waitFor(async () => {
      const d = await diagnostics();
      expect(d.notificationsSupported, `Notification.isSupported() is false here; notices: ${d.notices.join('; ')}`).toBe(true);
      expect(d.shownNotifications.map((n) => n.title)).toContain(title);
      return d;
    }, { timeout: 15_000, interval: 250 });
    expect(shown.shownNotifications.find((n) => n.title === title)).toMatchObject({ serverId: 'bundled', topic: 'run/e2e' });

    // Quit (as the tray's and the menu's Quit do): the app exits, and its server with it.
    const exited = new Promise((resolve) => app!.process().once('exit', resolve));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await exited;
    app = null;
    await expect(fetch(`${bundled.url}/health`)).rejects.toThrow();
  }, 180_000);
});
