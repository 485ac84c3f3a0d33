// Whether a tray icon can be seen on Linux, asked of a real, private D-Bus session bus
// (dbus-daemon, as a desktop session has): with no StatusNotifier watcher (vanilla
// GNOME) the app opens its window even when started hidden, and says why.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrintingDaemon } from '../../test/support/printing-daemon.ts';
import { DbusConnection, socketPathOf } from './dbus-connection.ts';
import { initialWindow } from './initial-window.ts';
import { GNOME_TRAY_EXTENSION, STATUS_NOTIFIER_WATCHER, trayVisible } from './tray-visibility.ts';

const uid = process.getuid?.() ?? 0;
let bus: ChildProcess;
let address: string;

beforeAll(async () => {
  const started = await startPrintingDaemon('dbus-daemon', ['--session', '--nofork', '--print-address=1']);
  bus = started.child;
  address = started.line;
});
afterAll(() => bus?.kill());

const hiddenLoginStart = { platform: 'linux', argv: ['/opt/Herald/herald-desktop', '--hidden'], wasOpenedAtLogin: false, firstRun: false } as const;

describe('the tray on Linux (StatusNotifier)', () => {
  it('reads unix:path and unix:abstract bus addresses', () => {
    expect(socketPathOf('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(socketPathOf('unix:abstract=/tmp/dbus-x,guid=abc')).toBe('\0/tmp/dbus-x');
    expect(() => socketPathOf('tcp:host=localhost,port=1')).toThrow(/expected a unix: D-Bus address/);
  });

  it('without a StatusNotifier watcher, a hidden start opens the window and names the GNOME extension', async () => {
    const visible = await trayVisible({ platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: address }, uid });
    expect(visible).toBe(false);
    const decision = initialWindow({ ...hiddenLoginStart, trayVisible: visible });
    expect(decision.show).toBe(true);
    expect(decision.notice).toContain(GNOME_TRAY_EXTENSION);
  });

  it('with a watcher on the bus, a hidden start stays in the tray', async () => {
    const watcher = await DbusConnection.open(address, { uid, timeoutMs: 5000 });
    try {
      expect(await watcher.requestName(STATUS_NOTIFIER_WATCHER)).toBe(true);
      const visible = await trayVisible({ platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: address }, uid });
      expect(visible).toBe(true);
      expect(initialWindow({ ...hiddenLoginStart, trayVisible: visible })).toEqual({ show: false, notice: null });
      // The first start opens the window all the same.
      expect(initialWindow({ ...hiddenLoginStart, trayVisible: visible, firstRun: true }).show).toBe(true);
    } finally {
      watcher.close();
    }
  });

  it('cannot tell without a bus, and then keeps to the flags', async () => {
    const visible = await trayVisible({ platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, uid, timeoutMs: 2000 });
    expect(visible).toBeNull();
    expect(initialWindow({ ...hiddenLoginStart, trayVisible: visible })).toEqual({ show: false, notice: null });
    expect(await trayVisible({ platform: 'darwin', env: {}, uid })).toBe(true);
  });
});

describe('a session bus that answers nonsense', () => {
  it('survives garbage from the bus: no answer, no crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-fake-bus-'));
    // Accepts the connection, says OK to the authentication, then sends nonsense.
    const server = createServer((socket) => {
      socket.once('data', () => {
        socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
        socket.once('data', () => socket.write(Buffer.alloc(64, 0x42)));
      });
    });
    await new Promise<void>((resolve) => server.listen(join(dir, 'bus'), resolve));
    try {
      expect(await trayVisible({ platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}` }, uid, timeoutMs: 1000 })).toBeNull();
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
