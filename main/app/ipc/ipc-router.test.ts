// The IPC path end to end without Electron: the preload's Bridge (createIpcBridge)
// talks through a small in-memory stand-in for ipcRenderer/ipcMain to the real router,
// which checks the sender's frame URL and the arguments before any handler runs.
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../settings/settings-schema.ts';
import type { NotificationState, SettingsDocument } from './bridge.ts';
import { INVOKE_CHANNELS, wireChannel, type InvokeChannel, type PushChannel, type PushContract } from './contract.ts';
import { createIpcBridge, type RendererIpc } from './ipc-bridge.ts';
import { createIpcRouter, type IpcHandlers, type RefusedRequest } from './ipc-router.ts';

const APP_PAGE = 'app://herald/index.html';

/** Like Electron: invoke() reaches the handler registered for the wire channel, with the sender frame's URL. */
function inMemoryIpc(router: ReturnType<typeof createIpcRouter>, frameUrl: () => string | null) {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const byWire = new Map(INVOKE_CHANNELS.map((c) => [wireChannel(c), c] as const));
  const ipc: RendererIpc = {
    async invoke(channel, ...args) {
      const name = byWire.get(channel);
      if (!name) throw new Error(`No handler registered for '${channel}'`);
      // Structured clone, as Electron's IPC does: nothing but data crosses.
      return structuredClone(await router.handle(name, frameUrl(), structuredClone(args)));
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  return {
    ipc,
    push<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
      for (const listener of listeners.get(wireChannel(channel)) ?? []) listener({ sender: 'ipcRenderer' }, structuredClone(payload));
    },
    listenerCount: (channel: PushChannel) => listeners.get(wireChannel(channel))?.size ?? 0,
  };
}

const settings: SettingsDocument = structuredClone(defaultSettings);
const urlProblem = { path: 'servers[0].url', expected: 'a URL', got: '"x"', message: 'servers[0].url: expected a URL, got "x"' };

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers & { calls: Array<[InvokeChannel, unknown[]]> } {
  const calls: Array<[InvokeChannel, unknown[]]> = [];
  const state: NotificationState = { pausedUntil: null, mutedTopics: [] };
  const record = <C extends InvokeChannel>(channel: C, fn: IpcHandlers[C]): IpcHandlers[C] =>
    ((...args: unknown[]) => {
      calls.push([channel, args]);
      return (fn as (...a: unknown[]) => unknown)(...args);
    }) as IpcHandlers[C];
  const base: IpcHandlers = {
    'history:load': record('history:load', () => []),
    'history:clear': record('history:clear', () => undefined),
    'status:current': record('status:current', () => [{ server: 'bundled', label: 'This computer', url: 'http://127.0.0.1:1', connection: { kind: 'live' }, ended: {} }]),
    'reveal:take-pending': record('reveal:take-pending', () => null),
    'notifications:state': record('notifications:state', () => state),
    'notifications:pause': record('notifications:pause', (until) => void (state.pausedUntil = until)),
    'notifications:resume': record('notifications:resume', () => void (state.pausedUntil = null)),
    'notifications:mute': record('notifications:mute', () => undefined),
    'jobs:run': record('jobs:run', (server, job) => ({ server, job, run: '7', topic: `job/${job}/7` })),
    'jobs:cancel': record('jobs:cancel', () => undefined),
    'jobs:log': record('jobs:log', () => 'line 1\nline 2'),
    'settings:load': record('settings:load', () => settings),
    'settings:save': record('settings:save', () => ({ ok: false, problems: [urlProblem] })),
  };
  return Object.assign({ ...base, ...overrides }, { calls });
}

describe('IPC sender checks', () => {
  it("answers the app's own window", async () => {
    const h = handlers();
    const router = createIpcRouter({ handlers: h, trust: { rendererDir: null } });
    const bridge = createIpcBridge(inMemoryIpc(router, () => APP_PAGE).ipc);
    expect(await bridge.runJob('bundled', 'backup')).toEqual({ server: 'bundled', job: 'backup', run: '7', topic: 'job/backup/7' });
    expect(h.calls).toEqual([['jobs:run', ['bundled', 'backup']]]);
  });

  it('refuses any other frame before a handler runs, for every channel', async () => {
    const h = handlers();
    const refused: RefusedRequest[] = [];
    const router = createIpcRouter({ handlers: h, trust: { rendererDir: '/app/dist/renderer' }, onRefused: (r) => refused.push(r) });
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://evil/index.html', null]) {
      for (const channel of INVOKE_CHANNELS) {
        const reply = await router.handle(channel, url, []);
        expect(reply.ok, `${channel} from ${url}`).toBe(false);
      }
    }
    expect(h.calls).toEqual([]);
    expect(refused).toHaveLength(4 * INVOKE_CHANNELS.length);
    expect(refused[0]!.reason).toContain('https://evil.example/');
  });

  it('turns a refusal into a rejected Bridge call with a readable message', async () => {
    const router = createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } });
    const bridge = createIpcBridge(inMemoryIpc(router, () => 'https://evil.example/page').ipc);
    await expect(bridge.loadSettings()).rejects.toThrow("the sender at https://evil.example/page is not the app's window");
  });

  it('follows the frame: a window that navigated away loses access', async () => {
    let url = APP_PAGE;
    const router = createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } });
    const bridge = createIpcBridge(inMemoryIpc(router, () => url).ipc);
    await expect(bridge.notificationState()).resolves.toEqual({ pausedUntil: null, mutedTopics: [] });
    url = 'https://elsewhere.example/';
    await expect(bridge.notificationState()).rejects.toThrow(/not the app's window/);
  });
});

describe('IPC arguments', () => {
  const router = createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } });

  it('refuses arguments that do not match the contract, saying what was expected', async () => {
    expect(await router.handle('history:load', APP_PAGE, [-1])).toEqual({ ok: false, error: 'history:load: expected a whole number of events from 1 to 100000, got -1' });
    expect(await router.handle('history:load', APP_PAGE, ['10'])).toMatchObject({ ok: false });
    expect(await router.handle('history:load', APP_PAGE, [10, 20])).toEqual({ ok: false, error: 'history:load: expected 1 argument, got 2' });
    expect(await router.handle('notifications:pause', APP_PAGE, [Number.NaN])).toMatchObject({ ok: false });
    expect(await router.handle('notifications:mute', APP_PAGE, ['job/**/x', true])).toMatchObject({ ok: false });
    expect(await router.handle('notifications:mute', APP_PAGE, ['job/**', 'yes'])).toMatchObject({ ok: false });
    expect(await router.handle('jobs:cancel', APP_PAGE, [{ server: 'a', job: 'b' }])).toMatchObject({ ok: false, error: expect.stringContaining('a run id') });
    expect(await router.handle('settings:save', APP_PAGE, [[1, 2]])).toMatchObject({ ok: false, error: expect.stringContaining('a settings object') });
  });

  it('passes "until resumed" (Infinity) through to pause', async () => {
    const h = handlers();
    const bridge = createIpcBridge(inMemoryIpc(createIpcRouter({ handlers: h, trust: { rendererDir: null } }), () => APP_PAGE).ipc);
    await bridge.pauseNotifications(Number.POSITIVE_INFINITY);
    expect(h.calls).toEqual([['notifications:pause', [Number.POSITIVE_INFINITY]]]);
  });

  it('answers settings problems as data, not as an error', async () => {
    const bridge = createIpcBridge(inMemoryIpc(router, () => APP_PAGE).ipc);
    expect(await bridge.saveSettings(settings)).toEqual({ ok: false, problems: [urlProblem] });
  });

  it("reports a handler's failure with its message", async () => {
    const onError = vi.fn();
    const failing = createIpcRouter({
      handlers: handlers({ 'jobs:log': () => { throw new Error('the server answered 404: no run 9 of backup'); } }),
      trust: { rendererDir: null },
      onError,
    });
    const bridge = createIpcBridge(inMemoryIpc(failing, () => APP_PAGE).ipc);
    await expect(bridge.jobLog({ server: 'bundled', job: 'backup', run: '9' })).rejects.toThrow('the server answered 404: no run 9 of backup');
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('Bridge listeners over IPC', () => {
  it('delivers the current status once on subscribe, then pushes; unsubscribe removes the listener', async () => {
    const router = createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } });
    const wire = inMemoryIpc(router, () => APP_PAGE);
    const bridge = createIpcBridge(wire.ipc);
    const seen: string[][] = [];
    const unsubscribe = bridge.onStatus((servers) => seen.push(servers.map((s) => `${s.server}:${s.connection.kind}`)));
    await vi.waitFor(() => expect(seen).toEqual([['bundled:live']]));
    wire.push('status', [{ server: 'bundled', label: 'x', url: 'u', connection: { kind: 'connecting' }, ended: {} }]);
    expect(seen).toEqual([['bundled:live'], ['bundled:connecting']]);
    unsubscribe();
    unsubscribe();
    expect(wire.listenerCount('status')).toBe(0);
    wire.push('status', []);
    expect(seen).toHaveLength(2);
  });

  it('hands a pending reveal to the first listener, and pushed reveals after that', async () => {
    let pending: { server: string; id: string } | null = { server: 'bundled', id: '42' };
    const router = createIpcRouter({
      handlers: handlers({ 'reveal:take-pending': () => { const p = pending; pending = null; return p; } }),
      trust: { rendererDir: null },
    });
    const wire = inMemoryIpc(router, () => APP_PAGE);
    const reveals: string[] = [];
    createIpcBridge(wire.ipc).onReveal((r) => reveals.push(r.id));
    await vi.waitFor(() => expect(reveals).toEqual(['42']));
    wire.push('reveal', { server: 'bundled', id: '43' });
    expect(reveals).toEqual(['42', '43']);
  });

  it('passes only the payload to listeners, never the IPC event', async () => {
    const wire = inMemoryIpc(createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } }), () => APP_PAGE);
    const received: unknown[][] = [];
    createIpcBridge(wire.ipc).onEvents((...args: unknown[]) => received.push(args));
    wire.push('events', []);
    expect(received).toEqual([[[]]]);
  });

  it('exposes one function per Bridge action and nothing that reaches ipcRenderer', () => {
    const wire = inMemoryIpc(createIpcRouter({ handlers: handlers(), trust: { rendererDir: null } }), () => APP_PAGE);
    const bridge = createIpcBridge(wire.ipc) as unknown as Record<string, unknown>;
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const [key, value] of Object.entries(bridge)) {
      if (key === 'capabilities') continue;
      expect(typeof value, key).toBe('function');
    }
    expect(Object.values(bridge)).not.toContain(wire.ipc);
  });
});
