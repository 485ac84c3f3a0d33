// What each IPC channel does in the desktop app. The router (ipc-router.ts) has
// already checked the sender and the arguments when these run.
import { MAX_LIMIT } from '../history/history-query.ts';
import type { HistoryStore } from '../history/history-store.ts';
import type { PauseSettings } from '../settings/settings-schema.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { validateSettings } from '../settings/settings-validator.ts';
import type { NotificationState, ReceivedEvent, ServerStatus } from './bridge.ts';
import type { IpcHandlers } from './ipc-router.ts';
import type { JobClient } from './job-client.ts';
import { notPaused } from '../notifications/policy/pause.ts';

/** What the handlers read from and set on the running app (DesktopApp is one). */
export interface AppState {
  serverStatus(): ServerStatus[];
  takePendingReveal(): { server: string; id: string } | null;
  notificationState(): NotificationState;
  setPause(pause: PauseSettings): void;
}

/** Newest first, paging through the store's per-query maximum. */
function loadHistory(history: HistoryStore, limit: number): ReceivedEvent[] {
  const events: ReceivedEvent[] = [];
  let before: number | undefined;
  while (events.length < limit) {
    const page = history.query({ limit: Math.min(MAX_LIMIT, limit - events.length), ...(before === undefined ? {} : { before }) });
    for (const entry of page.entries) events.push({ server: entry.serverId, event: entry.event });
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  return events;
}

export function desktopIpcHandlers(deps: { app: AppState; history: HistoryStore; settings: SettingsStore; jobs: JobClient }): IpcHandlers {
  const { app, history, settings, jobs } = deps;
  return {
    'history:load': (limit) => loadHistory(history, limit),
    'history:clear': () => history.clear(),
    'status:current': () => app.serverStatus(),
    'reveal:take-pending': () => app.takePendingReveal(),
    'notifications:state': () => app.notificationState(),
    'notifications:pause': (until) =>
      app.setPause(until === Number.POSITIVE_INFINITY ? { until: null, indefinitely: true } : { until: Math.round(until), indefinitely: false }),
    'notifications:resume': () => app.setPause(notPaused),
    'notifications:mute': (topic, muted) => {
      const current = settings.get().mutedTopics;
      const next = muted ? [...new Set([...current, topic])] : current.filter((t) => t !== topic);
      settings.update({ mutedTopics: next });
    },
    'jobs:run': (server, job) => jobs.runJob(server, job),
    'jobs:cancel': (ref) => jobs.cancelJob(ref),
    'jobs:log': (ref) => jobs.jobLog(ref),
    'settings:load': () => settings.get(),
    'settings:save': (next) => {
      const result = validateSettings(next);
      if (!result.ok) return { ok: false, problems: result.problems };
      return { ok: true, settings: settings.update(result.settings) };
    },
  };
}
