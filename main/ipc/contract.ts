// The IPC contract between the app's main process and the history window's preload:
// every channel and its signature, in one place, so neither side can drift from the
// other (after GitHub Desktop's app/src/lib/ipc-shared.ts). Main (main/shell/ipc-router.ts) and the
// preload (main/ipc/ipc-bridge.ts) both import it; the renderer sees only the Bridge.
// Types and constants only, free of Node, DOM and Electron.

import type {
  JobRunRef,
  NotificationState,
  ReceivedEvent,
  SaveSettingsResult,
  ServerStatus,
  SettingsDocument,
} from './bridge.ts';

/** Renderer -> main requests (`ipcRenderer.invoke` / `ipcMain.handle`): arguments -> result. */
export interface InvokeContract {
  'history:load': (limit: number) => ReceivedEvent[];
  'history:clear': () => void;
  /** Every server's connection state now; `onStatus` asks once when it subscribes. */
  'status:current': () => ServerStatus[];
  /** A reveal requested before the window listened (a notification click opened it), taken once. */
  'reveal:take-pending': () => { server: string; id: string } | null;
  'notifications:state': () => NotificationState;
  'notifications:pause': (until: number) => void;
  'notifications:resume': () => void;
  'notifications:mute': (topic: string, muted: boolean) => void;
  'jobs:run': (server: string, job: string) => JobRunRef & { topic: string };
  'jobs:cancel': (ref: JobRunRef) => void;
  'jobs:log': (ref: JobRunRef) => string;
  'settings:load': () => SettingsDocument;
  'settings:save': (settings: SettingsDocument) => SaveSettingsResult;
}

/** Main -> renderer messages (`webContents.send` / `ipcRenderer.on`): the payload. */
export interface PushContract {
  events: ReceivedEvent[];
  status: ServerStatus[];
  reveal: { server: string; id: string };
  'notification-state': NotificationState;
}

export type InvokeChannel = keyof InvokeContract;
export type PushChannel = keyof PushContract;
export type InvokeArgs<C extends InvokeChannel> = Parameters<InvokeContract[C]>;
export type InvokeResult<C extends InvokeChannel> = ReturnType<InvokeContract[C]>;

/**
 * What a handler sends back. Errors travel as data, not as a rejected invoke: Electron
 * rewrites a rejection's message to "Error invoking remote method 'x': Error: ...",
 * and the Bridge promises messages a person can read.
 */
export type InvokeReply<T> = { ok: true; value: T } | { ok: false; error: string };

// Records keyed by channel, so leaving a channel out of the lists below fails to compile.
const INVOKE: Record<InvokeChannel, true> = {
  'history:load': true,
  'history:clear': true,
  'status:current': true,
  'reveal:take-pending': true,
  'notifications:state': true,
  'notifications:pause': true,
  'notifications:resume': true,
  'notifications:mute': true,
  'jobs:run': true,
  'jobs:cancel': true,
  'jobs:log': true,
  'settings:load': true,
  'settings:save': true,
};
const PUSH: Record<PushChannel, true> = { events: true, status: true, reveal: true, 'notification-state': true };

/** Every invoke channel, so main registers exactly the contract. */
export const INVOKE_CHANNELS = Object.keys(INVOKE) as InvokeChannel[];
export const PUSH_CHANNELS = Object.keys(PUSH) as PushChannel[];

/** Channel names on the wire carry a prefix so they cannot clash with a library's. */
export function wireChannel(channel: InvokeChannel | PushChannel): string {
  return `herald:${channel}`;
}
