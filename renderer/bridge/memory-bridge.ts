// A Bridge that holds everything in memory and answers like the desktop app's preload
// bridge (capabilities of the app). For the renderer benchmark (100,000 events of
// history, a live stream at a chosen rate) and for browser tests of what only the app
// can do (pause, mute). Small and honest: it validates settings with the app's
// validator and keeps what it is told; it talks to no server.

import type {
  Bridge,
  BridgeCapabilities,
  JobRunRef,
  NotificationState,
  ReceivedEvent,
  SaveSettingsResult,
  ServerStatus,
  SettingsDocument,
} from '../../main/app/ipc/bridge.ts';
import { defaultSettings } from '../../main/app/settings/settings-schema.ts';
import { validateSettings } from '../../main/app/settings/settings-validator.ts';
import { createListeners } from './listeners.ts';

export const APP_CAPABILITIES: BridgeCapabilities = {
  host: 'app',
  notifications: true,
  editServers: true,
  startAtLogin: true,
  bundledServer: true,
  clearHistory: 'delete',
};

export interface MemoryBridge extends Bridge {
  /** Deliver events as if they had just arrived. */
  push(events: readonly ReceivedEvent[]): void;
  setStatus(servers: readonly ServerStatus[]): void;
  /** What the window asked for, in order (`pause 123`, `mute a on`, `run job`...). */
  readonly calls: string[];
}

export function createMemoryBridge(options: { history?: ReceivedEvent[]; servers?: ServerStatus[]; settings?: SettingsDocument } = {}): MemoryBridge {
  let history = options.history ?? [];
  let servers: readonly ServerStatus[] = options.servers ?? [];
  let settings = structuredClone(options.settings ?? defaultSettings);
  let notifications: NotificationState = { pausedUntil: null, mutedTopics: [] };
  const events = createListeners<readonly ReceivedEvent[]>();
  const status = createListeners<readonly ServerStatus[]>();
  const notificationListeners = createListeners<NotificationState>();
  const calls: string[] = [];
  const setNotifications = (next: NotificationState): void => {
    notifications = next;
    notificationListeners.emit(next);
  };
  let runs = 0;

  return {
    capabilities: APP_CAPABILITIES,
    calls,
    push: (batch) => events.emit(batch),
    setStatus(next) {
      servers = next;
      status.emit(next);
    },
    loadHistory: async (limit) => history.slice(0, limit),
    onEvents: (listener) => events.add(listener),
    onStatus(listener) {
      listener(servers);
      return status.add(listener);
    },
    onReveal: () => () => {},
    async clearHistory() {
      calls.push('clear');
      history = [];
    },
    notificationState: async () => notifications,
    onNotificationState(listener) {
      listener(notifications);
      return notificationListeners.add(listener);
    },
    async pauseNotifications(until) {
      calls.push(`pause ${until}`);
      setNotifications({ ...notifications, pausedUntil: until });
    },
    async resumeNotifications() {
      calls.push('resume');
      setNotifications({ ...notifications, pausedUntil: null });
    },
    async setTopicMuted(topic, muted) {
      calls.push(`mute ${topic} ${muted ? 'on' : 'off'}`);
      const others = notifications.mutedTopics.filter((t) => t !== topic);
      setNotifications({ ...notifications, mutedTopics: muted ? [...others, topic] : others });
    },
    async runJob(server, job) {
      calls.push(`run ${job}`);
      const run = `r${++runs}`;
      return { server, job, run, topic: `job/${job}/${run}` };
    },
    async cancelJob(ref: JobRunRef) {
      calls.push(`cancel ${ref.job} ${ref.run}`);
    },
    jobLog: async (ref) => `output of ${ref.job} run ${ref.run}\n`,
    loadSettings: async () => structuredClone(settings),
    async saveSettings(next): Promise<SaveSettingsResult> {
      const result = validateSettings(next);
      if (!result.ok) return { ok: false, problems: result.problems };
      settings = structuredClone(next);
      return { ok: true, settings: structuredClone(settings) };
    },
  };
}
