// The desktop app's wiring under plain Node: the real bundled server (in a child
// process, as the app runs it in a utilityProcess), the real subscription manager and
// eventsource client, real SQLite history and conf settings, and the real IPC router
// and preload Bridge; only Electron's tray, notifications and window are small fakes.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../server/protocol/clock.ts';
import { localCalendar } from '../main/app/notifications/policy/calendar.ts';
import { HistoryStore } from '../main/app/history/history-store.ts';
import { openSettingsStore, type SettingsStore } from '../main/app/settings/settings-store.ts';
import { SubscriptionManager } from '../main/app/subscriptions/subscription-manager.ts';
import { wireChannel, INVOKE_CHANNELS } from '../main/app/ipc/contract.ts';
import { createIpcBridge, type RendererIpc } from '../main/app/ipc/ipc-bridge.ts';
import type { Bridge } from '../main/app/ipc/bridge.ts';
import { ForkedServers } from './support/forked-servers.ts';
import { startTestServer } from './support/herald-test-server.ts';
import { fileURLToPath } from 'node:url';
import { DesktopApp } from '../main/app/desktop-app.ts';
import { desktopIpcHandlers } from '../main/app/ipc/desktop-ipc-handlers.ts';
import { HistoryWindow, type WindowHandle } from '../main/app/window/history-window.ts';
import { createIpcRouter } from '../main/app/ipc/ipc-router.ts';
import { createJobClient } from '../main/app/ipc/job-client.ts';
import type { NativeNotification, NativeNotificationOptions } from '../main/app/notifications/notification-presenter.ts';
import type { TrayHandle } from '../main/app/tray/tray-controller.ts';
import type { TrayAction, TrayMenuItem } from '../main/app/tray/tray-menu.ts';
import { runCleanups, tinyServer } from './support/subscription-watch.ts';


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
  await runCleanups();
  servers.killAll();
  rmSync(userData, { recursive: true, force: true });
});

/** The Electron parts, as small fakes that record what the app asked of them. */
function fakes() {
  const tray = { image: '', tooltip: '', menu: [] as TrayMenuItem[], badge: 0, act: (_: TrayAction) => {} };
  const trayHandle: TrayHandle = {
    setImage: (path) => (tray.image = path),
    setToolTip: (text) => (tray.tooltip = text),
    setMenu: (items, onAction) => {
      tray.menu = items;
      tray.act = onAction;
    },
    setBadgeCount: (count) => (tray.badge = count),
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
    // A priority-4 message is an alarm not seen yet: the badge counts it.
    await vi.waitFor(() => expect(a.tray.badge).toBeGreaterThanOrEqual(1));

    // A click opens the window at that event, which has then been seen.
    shown.click();
    await vi.waitFor(() => expect(a.sent).toContainEqual([wireChannel('reveal'), { server: 'bundled', id }]));
    await vi.waitFor(() => expect(a.tray.badge).toBe(0));
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

  it('follows an ntfy server from its settings like any server: history, notification, tray; after a restart it resumes with since=', async () => {
    const alert = '{"id":"m1AAAAAAAAAA","time":1700000000,"event":"message","topic":"alerts","title":"Disk full","message":"97% on /","priority":5,"tags":["rotating_light","db"],"click":"https://grafana.example/d/disk"}\n';
    const later = '{"id":"m2BBBBBBBBBB","time":1700000060,"event":"message","topic":"alerts","message":"back to 60%","priority":2}\n';
    const ntfy = await tinyServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
      res.write('{"id":"o","time":1700000000,"event":"open","topic":"alerts"}\n');
      res.write(new URL(req.url!, 'http://x').searchParams.has('since') ? later : alert);
    });
    const entry = { id: 'home-ntfy', name: 'Home ntfy', url: ntfy.url, token: 'pw', username: 'phil', topics: ['alerts'], enabled: true, kind: 'ntfy' as const };
    const first = startApp({ bundled: false });
    first.settings.update({ servers: [entry] });
    await vi.waitFor(() => expect(first.history.get('home-ntfy', 'm1AAAAAAAAAA')).not.toBeNull());
    await vi.waitFor(() => expect(first.desktop.diagnostics().shownNotifications.map((n) => n.title)).toContain('🚨 Disk full'));
    expect(first.notifications.find((n) => n.options.title === '🚨 Disk full')?.options).toMatchObject({ body: '97% on /', urgency: 'critical' });
    await vi.waitFor(() => expect(JSON.stringify(first.tray.menu)).toContain('recent:home-ntfy:m1AAAAAAAAAA'));
    expect(ntfy.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('phil:pw').toString('base64')}`);
    await first.desktop.shutdown();

    // The app starts again: it resumes after the last message it recorded, and shows only what is new.
    const second = startApp({ bundled: false });
    await vi.waitFor(() => expect(second.history.get('home-ntfy', 'm2BBBBBBBBBB')).not.toBeNull());
    expect(new URL(ntfy.requests[1]!.url!, 'http://x').searchParams.get('since')).toBe('m1AAAAAAAAAA');
    await vi.waitFor(() => expect(second.desktop.diagnostics().shownNotifications.map((n) => n.body)).toContain('back to 60%'));
    expect(second.desktop.diagnostics().shownNotifications.map((n) => n.title)).not.toContain('🚨 Disk full');
  });

  it('records and notifies the events of a server that lost its log, though their ids were seen before', async () => {
    // The server's data dir was wiped: its log starts again at id 1.
    const server = await startTestServer({ heartbeatMs: 60_000 });
    try {
      // What the app kept from the server's previous log: events 1 and 2, and where it was.
      const earlier = HistoryStore.open({ file: join(userData, 'history.sqlite'), maxEntries: 10_000, maxAgeMs: 86_400_000 });
      for (const id of ['1', '2']) earlier.record('remote', { id, type: 'notify', data: { topic: 'feed', time: Date.now(), title: `Old ${id}`, body: 'before the wipe', priority: 3, tags: [] } });
      earlier.resumePoints.save('remote', '2');
      earlier.close();
      const first = await publish(server.url, '', 'feed', 'replayed after the reset', 'Fresh 1');

      const a = startApp({ bundled: false });
      const settings = await a.bridge.loadSettings();
      const servers = [{ id: 'remote', name: 'Remote', url: server.url, token: '', topics: ['feed'], enabled: true }];
      expect(await a.bridge.saveSettings({ ...settings, servers })).toMatchObject({ ok: true });
      await vi.waitFor(() => expect(a.history.get('remote', first)?.event.data).toMatchObject({ body: 'replayed after the reset' }), { timeout: 10_000 });
      const second = await publish(server.url, '', 'feed', 'live after the reset', 'Fresh 2');
      expect(second).toBe('2');
      await vi.waitFor(() => expect(a.desktop.diagnostics().shownNotifications.map((n) => n.title)).toEqual(expect.arrayContaining(['Fresh 1', 'Fresh 2'])), { timeout: 10_000 });
      expect(a.desktop.diagnostics().shownNotifications.map((n) => n.title)).toContain('Missed events on feed');
      // The old entries are still there, set apart.
      expect(a.history.query({ topic: 'feed', type: 'notify' }).entries.map((e) => [e.event.id, e.title])).toEqual([
        ['2', 'Fresh 2'],
        ['1', 'Fresh 1'],
        ['2~2', 'Old 2'],
        ['1~2', 'Old 1'],
      ]);
    } finally {
      await app?.shutdown();
      app = null;
      await server.close();
    }
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
