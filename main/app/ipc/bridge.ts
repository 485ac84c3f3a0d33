// The one interface the history window (renderer/) talks to. Two implementations:
// the preload bridge inside the desktop app (main/electron/preload.ts, over the IPC contract)
// and the HTTP/SSE bridge of the web dashboard (renderer/bridge/web-bridge.ts).
// Types only, free of Node and DOM, so both sides can import it (tsconfig.web.json).
//
// Rules every implementation keeps:
// - Methods that do something resolve when it is done, or reject with an Error whose
//   message a person can read ("the server answered 404: no job named backup").
// - Every `on...` returns a function that removes the listener.
// - Listeners get the current state once right after they subscribe, then changes.

import type { EndData, HeraldEvent } from '../../../server/protocol/events.ts';
import type { Settings } from '../settings/settings-schema.ts';
import type { SettingsProblem } from '../settings/settings-validator.ts';

// Settings are the desktop app's one schema (main/app/settings/), shared as is.
export type SettingsDocument = Settings;
export type { SettingsProblem };

/** The global name under which the preload exposes its Bridge (contextBridge). */
export const BRIDGE_GLOBAL = 'heraldBridge';

export type Unsubscribe = () => void;

/** An event as the window sees it: which configured server sent it, and the event. */
export interface ReceivedEvent {
  /** The server's id in settings (`ServerSettings.id`). */
  server: string;
  event: HeraldEvent;
}

/** The state of one server's connection (one SSE connection per server). */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Lost; the next attempt is at `retryAt` (ms since the epoch). */
  | { kind: 'reconnecting'; retryAt: number; reason: string }
  /** Will not retry by itself (token rejected, not a Herald server...): `reason` says what to fix. */
  | { kind: 'failed'; reason: string }
  /** Turned off by the user, or every watched topic has ended. */
  | { kind: 'closed' };

export interface ServerStatus {
  server: string;
  /** What the window shows: the server's name or host. */
  label: string;
  url: string;
  connection: ConnectionState;
  /** Topics whose stream has ended, with their final result (from the `end` event). */
  ended: Record<string, EndData>;
}

/** What the host can really do. The window disables, and explains, what it cannot. */
export interface BridgeCapabilities {
  /** Where the window runs: the desktop app, or a browser tab served by `herald serve`. */
  host: 'app' | 'web';
  /** Native notifications exist, so pause, mute, rules and quiet hours have an effect. */
  notifications: boolean;
  /** The servers list can be edited (the dashboard only knows the server that serves it). */
  editServers: boolean;
  startAtLogin: boolean;
  bundledServer: boolean;
  /** Clearing removes the stored history (app) or only hides it in this browser (web). */
  clearHistory: 'delete' | 'hide';
}

export interface NotificationState {
  /** Notifications are paused until this time (ms since the epoch); Infinity means until resumed; null means not paused. */
  pausedUntil: number | null;
  mutedTopics: string[];
}

export type SaveSettingsResult = { ok: true; settings: SettingsDocument } | { ok: false; problems: SettingsProblem[] };

export interface JobRunRef {
  server: string;
  job: string;
  run: string;
}

export interface Bridge {
  readonly capabilities: BridgeCapabilities;

  /** Stored history, newest first, at most `limit` events (the app's SQLite history; the dashboard's server log). */
  loadHistory(limit: number): Promise<ReceivedEvent[]>;
  /** Events as they arrive, in arrival order, in batches. */
  onEvents(listener: (events: readonly ReceivedEvent[]) => void): Unsubscribe;
  /** Every server's connection state, whenever any of them changes. */
  onStatus(listener: (servers: readonly ServerStatus[]) => void): Unsubscribe;
  /** The app asks the window to show one event (a notification was clicked). */
  onReveal(listener: (event: { server: string; id: string }) => void): Unsubscribe;
  /** Forget the history (see `capabilities.clearHistory`). */
  clearHistory(): Promise<void>;

  notificationState(): Promise<NotificationState>;
  onNotificationState(listener: (state: NotificationState) => void): Unsubscribe;
  /** Pause native notifications until `until` (ms since the epoch; Infinity: until resumed). */
  pauseNotifications(until: number): Promise<void>;
  resumeNotifications(): Promise<void>;
  setTopicMuted(topic: string, muted: boolean): Promise<void>;

  /** Start a configured job again; resolves with the new run. */
  runJob(server: string, job: string): Promise<JobRunRef & { topic: string }>;
  cancelJob(ref: JobRunRef): Promise<void>;
  /** The run's kept output (`GET /jobs/:name/runs/:run/log`). */
  jobLog(ref: JobRunRef): Promise<string>;
  /**
   * Whether the credential may start and cancel `job` on `server` (the dashboard signed
   * in with a scoped token: docs/security.md); left out, it may. The window hides the
   * job actions it may not take.
   */
  mayRunJob?(server: string, job: string): boolean;

  loadSettings(): Promise<SettingsDocument>;
  /** Validate and save; invalid settings are not saved and every problem is listed by path. */
  saveSettings(settings: SettingsDocument): Promise<SaveSettingsResult>;
}
