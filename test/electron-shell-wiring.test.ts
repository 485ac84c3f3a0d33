// The desktop app's wiring under plain Node: the real bundled server (in a child
// process, as the app runs it in a utilityProcess), the real subscription manager and
// eventsource client, real SQLite history and conf settings, and the real IPC router
// and preload Bridge; only Electron's tray, notifications and window are small fakes.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localCalendar, systemClock } from '../main/core/clock.ts';
import { HistoryStore } from '../main/core/history/history-store.ts';
import { openSettingsStore, type SettingsStore } from '../main/core/settings/settings-store.ts';
import { SubscriptionManager } from '../main/core/subscriptions/subscription-manager.ts';
import { wireChannel, INVOKE_CHANNELS } from '../main/ipc/contract.ts';
import { createIpcBridge, type RendererIpc } from '../main/ipc/ipc-bridge.ts';
import type { Bridge } from '../main/ipc/bridge.ts';
import { ForkedServers } from './support/forked-servers.ts';
import { fileURLToPath } from 'node:url';
import { DesktopApp } from '../main/shell/desktop-app.ts';
import { desktopIpcHandlers } from '../main/shell/desktop-ipc-handlers.ts';
import { HistoryWindow, type WindowHandle } from '../main/shell/history-window.ts';
import { createIpcRouter } from '../main/shell/ipc-router.ts';
import { createJobClient } from '../main/shell/job-client.ts';
import type { NativeNotification, NativeNotificationOptions } from '../main/shell/notification-presenter.ts';
import type { TrayHandle } from '../main/shell/tray-controller.ts';
import type { TrayAction, TrayMenuItem } from '../main/shell/tray-menu.ts';


let userData: string;
const root = fileURLToPath(new URL('..', import.meta.url));
let servers: ForkedServers;
let app: DesktopApp | null;

beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'herald-app-'));
  servers = new ForkedServers({ stderr: 'inherit' });
  app = null;
});
afterEach(async () => {
  await app?.shutdown();
  servers.killAll();
  rmSync(userData, { recursive: true, force: true });
});

/** The Electron parts, as small fakes that record what the app asked of them. */
function fakes() {
  const tray = { image: '', tooltip: '', menu: [] as TrayMenuItem[], act: (_: TrayAction) => {} };
  const trayHandle: TrayHandle = {
    setImage: (path) => (tray.image = path),
    setToolTip: (text) => (tray.tooltip = text),
    setMenu: (items, onAction) => {
      tray.menu = items;
      tray.act = onAction;
    },
  };
  const notifications: Array<{ options: NativeNotificationOptions; click(): void }> = [];
  const createNotification = (options: NativeNotificationOptions): NativeNotification => {
    const clicks: Array<() => void> = [];
    notifications.push({ options, click: () => clicks.forEach((l) => l()) });
    return { show() {}, onClick: (l) => clicks.push(l), onClose() {}, onFailed() {} };
  };
  const sent: Array<[string, unknown]> = [];
  let pageUrl: string | null = null;
  const windowHandle: WindowHandle = {
    load: async (url) => void (pageUrl = url),
    show() {},
    hide() {},
    maximize() {},
    destroy() {},
    isDestroyed: () => false,
    state: () => ({ bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: false }),
    send: (channel, payload) => sent.push([channel, payload]),
    onClose() {},
    onClosed() {},
    onReadyToShow() {},
    onBoundsChanged() {},
    onNavigate() {},
    setWindowOpenHandler() {},
    onAttachWebview() {},
  };
  const window = new HistoryWindow({
    create: () => windowHandle,
    preloadPath: '/unused/preload.cjs',
    displays: () => [],
    stateStore: { load: () => undefined, save() {} },
    openExternal() {},
  });
  return { tray, trayHandle, notifications, createNotification, sent, window, pageUrl: () => pageUrl };
}

function startApp(options: { bundled: boolean }) {
  const f = fakes();
  const settings: SettingsStore = openSettingsStore({ dir: userData });
  if (!options.bundled) settings.update({ bundledServer: { enabled: false, port: 0 } });
  const history = HistoryStore.open({ file: join(userData, 'history.sqlite'), maxEntries: 10_000, maxAgeMs: 86_400_000 });
  let quit = 0;
  const desktop = new DesktopApp({
    clock: systemClock,
    calendar: localCalendar,
    platform: 'linux',
    appRoot: root,
    userData,
    settings,
    history,
    createSubscriptions: (resumePoints) => new SubscriptionManager({ resumePoints }),
    tray: f.trayHandle,
    createNotification: f.createNotification,
    notificationsSupported: true,
    window: f.window,
    loginItem: { isEnabled: () => false, setEnabled() {} },
    launchServerProcess: servers.launch,
    openExternal() {},
    quit: () => void quit++,
    formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
    log() {},
  });
  app = desktop;
  const router = createIpcRouter({
    handlers: desktopIpcHandlers({ app: desktop, history, settings, jobs: createJobClient({ fetch, address: (id) => desktop.serverAddress(id) }) }),
    trust: { rendererDir: null },
  });
  // The window's preload, wired to the router as Electron would (the page is app://herald/).
  const byWire = new Map(INVOKE_CHANNELS.map((c) => [wireChannel(c), c] as const));
  const ipc: RendererIpc = {
    invoke: async (channel, ...args) => router.handle(byWire.get(channel)!, f.pageUrl(), args),
    on() {},
    removeListener() {},
  };
  const bridge: Bridge = createIpcBridge(ipc);
  desktop.start({ showWindow: true });
  return { desktop, settings, history, bridge, quits: () => quit, ...f };
}

async function publish(url: string, token: string, topic: string, body: string, title: string): Promise<string> {
  const response = await fetch(`${url}/topics/${topic}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, body, priority: 4 }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('desktop app wiring', () => {
  it('starts the bundled server, subscribes, records and notifies, and reveals a clicked notification', async () => {
    const a = startApp({ bundled: true });
    const bundled = await vi.waitFor(() => {
      const endpoint = a.desktop.diagnostics().bundledServer;
      if (!endpoint) throw new Error('the bundled server is not listening yet');
      return endpoint;
    }, { timeout: 10_000 });
    expect(bundled.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bundled.token).toBe(readFileSync(join(userData, 'server-token'), 'utf8').trim());
    // Its event log lives in the app's user data.
    expect(existsSync(join(userData, 'server', 'events.sqlite'))).toBe(true);

    // The server's first `system` update reaches history and the window.
    await vi.waitFor(() => expect(a.history.query({ topic: 'system', type: 'update' }).entries.length).toBeGreaterThan(0), { timeout: 15_000 });
    await vi.waitFor(() => expect(a.sent.some(([channel]) => channel === wireChannel('events'))).toBe(true));
    await vi.waitFor(() => expect(a.tray.tooltip).toMatch(/^Herald: /));
    expect(a.tray.image).toMatch(/resources\/tray\/(ok|warn|critical)\.png$/);

    const id = await publish(bundled.url, bundled.token, 'run/deploy', 'version 42 is live', 'Deployed');
    await vi.waitFor(() => expect(a.desktop.diagnostics().shownNotifications.map((n) => n.title)).toContain('Deployed'));
    const shown = a.notifications.find((n) => n.options.title === 'Deployed')!;
    expect(shown.options).toMatchObject({ body: 'version 42 is live', urgency: 'normal' });

    // In the history the window loads, and in the tray's recent events.
    const history = await a.bridge.loadHistory(100);
    expect(history.find((e) => e.event.id === id)).toMatchObject({ server: 'bundled', event: { type: 'notify', data: { topic: 'run/deploy' } } });
    await vi.waitFor(() => expect(JSON.stringify(a.tray.menu)).toContain(`recent:bundled:${id}`));

    // A click opens the window at that event.
    shown.click();
    await vi.waitFor(() => expect(a.sent).toContainEqual([wireChannel('reveal'), { server: 'bundled', id }]));
  });

  it('pauses notifications from the tray, still recording events, and resumes', async () => {
    const a = startApp({ bundled: true });
    const bundled = await vi.waitFor(() => a.desktop.diagnostics().bundledServer ?? Promise.reject(new Error('not yet')), { timeout: 10_000 });
    await vi.waitFor(() => expect(a.tray.menu.length).toBeGreaterThan(0));
    a.tray.act({ kind: 'pause-until-resumed' });
    expect(a.settings.get().pause).toEqual({ until: null, indefinitely: true });
    expect(await a.bridge.notificationState()).toEqual({ pausedUntil: Number.POSITIVE_INFINITY, mutedTopics: [] });
    expect(JSON.stringify(a.tray.menu)).toContain('Notifications paused until resumed');

    const quiet = await publish(bundled.url, bundled.token, 'run/deploy', 'while paused', 'Quiet');
    await vi.waitFor(() => expect(a.history.get('bundled', quiet)).not.toBeNull());
    a.tray.act({ kind: 'resume' });
    const loud = await publish(bundled.url, bundled.token, 'run/deploy', 'after resuming', 'Loud');
    await vi.waitFor(() => expect(a.history.get('bundled', loud)).not.toBeNull());
    await vi.waitFor(() => expect(a.desktop.diagnostics().shownNotifications.map((n) => n.title)).toContain('Loud'));
    expect(a.desktop.diagnostics().shownNotifications.map((n) => n.title)).not.toContain('Quiet');
  });

  it("runs the bundled server with the config file in user data: its jobs work from the window", async () => {
    writeFileSync(join(userData, 'herald.config.json'), JSON.stringify({ jobs: { hello: { command: 'echo hi from the bundled job' } } }));
    const a = startApp({ bundled: true });
    await vi.waitFor(() => a.desktop.diagnostics().bundledServer ?? Promise.reject(new Error('not yet')), { timeout: 10_000 });
    const run = await a.bridge.runJob('bundled', 'hello');
    expect(run.topic).toBe(`job/hello/${run.run}`);
    // job/** is subscribed: the run's end arrives and is recorded.
    await vi.waitFor(() => expect(a.history.query({ topic: run.topic, type: 'end' }).entries).toHaveLength(1), { timeout: 10_000 });
    expect(await a.bridge.jobLog(run)).toContain('hi from the bundled job');
  });

  it('does not start the bundled server when the settings turn it off, and quits from the tray', async () => {
    const a = startApp({ bundled: false });
    await vi.waitFor(() => expect(a.tray.tooltip).toBe('Herald: no servers to watch'));
    expect(a.tray.image).toMatch(/disconnected\.png$/);
    expect(servers.children).toHaveLength(0);
    expect(a.desktop.diagnostics().bundledServer).toBeNull();
    a.tray.act({ kind: 'quit' });
    expect(a.quits()).toBe(1);
  });

  it('refuses invalid settings from the window with every problem, and applies valid ones', async () => {
    const a = startApp({ bundled: false });
    const settings = await a.bridge.loadSettings();
    const bad = await a.bridge.saveSettings({ ...settings, servers: [{ id: 'x', name: 'X', url: 'ftp://nope', token: '', topics: ['a'], enabled: true }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('servers[0].url');
    const good = await a.bridge.saveSettings({ ...settings, mutedTopics: ['system'] });
    expect(good).toMatchObject({ ok: true, settings: { mutedTopics: ['system'] } });
    expect(await a.bridge.notificationState()).toEqual({ pausedUntil: null, mutedTopics: ['system'] });
  });
});
