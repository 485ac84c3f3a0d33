// The Bridge over IPC: what the preload exposes to the history window. Written against
// a three-method `RendererIpc` (Electron's ipcRenderer has that shape) so it runs under
// plain Node in tests, wired to the real main-side router through an in-memory IPC.
// One method per action; the renderer never gets ipcRenderer itself, nor the IPC
// event object (whose `sender` would hand it the raw channel).

import type { Bridge, BridgeCapabilities, Unsubscribe } from './bridge.ts';
import {
  wireChannel,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeReply,
  type InvokeResult,
  type PushChannel,
  type PushContract,
} from './contract.ts';

export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The desktop app can do everything the window offers. */
export const APP_CAPABILITIES: BridgeCapabilities = Object.freeze({
  host: 'app',
  notifications: true,
  editServers: true,
  startAtLogin: true,
  bundledServer: true,
  clearHistory: 'delete',
});

export function createIpcBridge(ipc: RendererIpc): Bridge {
  async function call<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> {
    const reply = (await ipc.invoke(wireChannel(channel), ...args)) as InvokeReply<InvokeResult<C>>;
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  function listen<C extends PushChannel>(channel: C, listener: (payload: PushContract[C]) => void): Unsubscribe {
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload as PushContract[C]);
    ipc.on(wireChannel(channel), wrapped);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(wireChannel(channel), wrapped);
    };
  }

  /**
   * Listen, then deliver the current state once (the Bridge's rule). A push that
   * arrives before the current state has answered is newer, so the answer is dropped.
   */
  function listenWithCurrent<C extends PushChannel>(
    channel: C,
    current: () => Promise<PushContract[C] | null>,
    listener: (payload: PushContract[C]) => void,
  ): Unsubscribe {
    let pushed = false;
    const unsubscribe = listen(channel, (payload) => {
      pushed = true;
      listener(payload);
    });
    current().then(
      (payload) => {
        if (!pushed && payload !== null) listener(payload);
      },
      (error: unknown) => console.error(`herald: could not read the current ${channel}:`, error),
    );
    return unsubscribe;
  }

  return Object.freeze({
    capabilities: APP_CAPABILITIES,
    loadHistory: (limit: number) => call('history:load', limit),
    onEvents: (listener) => listen('events', listener),
    onStatus: (listener) => listenWithCurrent('status', () => call('status:current'), listener),
    onReveal: (listener) => listenWithCurrent('reveal', () => call('reveal:take-pending'), listener),
    clearHistory: () => call('history:clear'),
    notificationState: () => call('notifications:state'),
    onNotificationState: (listener) =>
      listenWithCurrent('notification-state', () => call('notifications:state'), listener),
    pauseNotifications: (until: number) => call('notifications:pause', until),
    resumeNotifications: () => call('notifications:resume'),
    setTopicMuted: (topic: string, muted: boolean) => call('notifications:mute', topic, muted),
    runJob: (server: string, job: string) => call('jobs:run', server, job),
    cancelJob: (ref) => call('jobs:cancel', ref),
    jobLog: (ref) => call('jobs:log', ref),
    loadSettings: () => call('settings:load'),
    saveSettings: (settings) => call('settings:save', settings),
  } satisfies Bridge);
}
