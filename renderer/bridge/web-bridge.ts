// The Bridge of the web dashboard: the page served by `herald serve` at `/` talks to
// the same server over HTTP and SSE. Authentication is the HttpOnly session cookie
// set by the login form, which the browser sends with every same-origin request,
// EventSource included: no token in any URL or cookie.
//
// What only the desktop app can do (native notifications and their pause, mute, rules
// and quiet hours; start at login; the bundled server; other servers) is reported as
// missing in `capabilities`, and the methods that would do it reject with the reason,
// so the window can disable and explain them rather than pretend.

import type {
  Bridge,
  BridgeCapabilities,
  ConnectionState,
  NotificationState,
  ReceivedEvent,
  SaveSettingsResult,
  ServerStatus,
  SettingsDocument,
} from '../../main/ipc/bridge.ts';
import type { EndData, HeraldEvent } from '../../server/protocol/events.ts';
import { defaultSettings } from '../../main/core/settings/settings-schema.ts';
import { validateSettings } from '../../main/core/settings/settings-validator.ts';
import { createListeners } from './listeners.ts';
import { type ConnectionTimers, type EventSourceFactory, type ProbeResult, StreamConnection } from './stream-connection.ts';

/** The one server a dashboard knows: the one that served it. */
export const WEB_SERVER_ID = 'this';

const STORAGE_TOPICS = 'herald.dashboard.topics';
const STORAGE_CLEARED = 'herald.dashboard.clearedAfter';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface WebBridgeOptions {
  baseUrl: string;
  /** What the window shows for the server, e.g. its host. */
  label: string;
  createEventSource: EventSourceFactory;
  fetch: typeof globalThis.fetch;
  timers: ConnectionTimers;
  storage: KeyValueStorage;
  retryDelayMs?: (attempt: number) => number;
}

const APP_ONLY = 'Notifications are raised by the Herald desktop app; this web dashboard shows events but raises none.';

export const WEB_CAPABILITIES: BridgeCapabilities = {
  host: 'web',
  notifications: false,
  editServers: false,
  startAtLogin: false,
  bundledServer: false,
  clearHistory: 'hide',
};

/** The answer's `{error}` text, or its status line. */
async function describeFailure(response: Response, what: string): Promise<Error> {
  let detail = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') detail = `${response.status}: ${body.error}`;
  } catch {
    // The body was not JSON; the status says enough.
  }
  return new Error(`${what} failed: the server answered ${detail}`);
}

export function createWebBridge(options: WebBridgeOptions): Bridge {
  const eventListeners = createListeners<readonly ReceivedEvent[]>();
  const statusListeners = createListeners<readonly ServerStatus[]>();
  const ended: Record<string, EndData> = {};
  let connectionState: ConnectionState = { kind: 'connecting' };
  let connection: StreamConnection | null = null;

  const url = (path: string): string => new URL(path, options.baseUrl).toString();
  const request = (path: string, init?: RequestInit): Promise<Response> =>
    options.fetch(url(path), { credentials: 'same-origin', ...init });

  const storedTopics = (): string[] => {
    const raw = options.storage.getItem(STORAGE_TOPICS);
    const topics = raw ? raw.split(',').filter((t) => t.length > 0) : [];
    return topics.length > 0 ? topics : ['**'];
  };

  const status = (): ServerStatus[] => [
    { server: WEB_SERVER_ID, label: options.label, url: options.baseUrl, connection: connectionState, ended: { ...ended } },
  ];

  async function probe(): Promise<ProbeResult> {
    try {
      const response = await request('/topics', { headers: { accept: 'application/json' } });
      if (response.status === 401 || response.status === 403) {
        return { kind: 'refused', reason: 'the server did not accept this browser’s token: sign in again' };
      }
      if (response.status === 404) return { kind: 'refused', reason: `${options.baseUrl} is not a Herald server (GET /topics answered 404)` };
      return { kind: 'reachable' };
    } catch (error) {
      return { kind: 'unreachable', reason: `the server does not answer (${(error as Error).message})` };
    }
  }

  function connect(): void {
    connection?.stop();
    const next = new StreamConnection({
      baseUrl: options.baseUrl,
      topics: storedTopics(),
      // From the start (or the last clear) also when the topics change: newly watched
      // topics bring their history, and what the window already holds is not doubled
      // (the store keys events by id). Reconnects resume from the last id (StreamConnection).
      since: options.storage.getItem(STORAGE_CLEARED) ?? 'all',
      createEventSource: options.createEventSource,
      probe,
      timers: options.timers,
      ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
      onEvent(event: HeraldEvent) {
        if (event.type === 'end') {
          ended[event.data.topic] = event.data;
          statusListeners.emit(status());
        }
        eventListeners.emit([{ server: WEB_SERVER_ID, event }]);
      },
      onProblem: (problem) => console.warn(`Herald: ${problem}`),
      onState(state) {
        if (next !== connection) return;
        connectionState = state;
        statusListeners.emit(status());
      },
    });
    connection = next;
    next.start();
  }

  const ensureConnected = (): void => {
    if (!connection) connect();
  };
  // The stream lives while someone listens: the last listener gone closes it.
  const releaseIfUnused = (): void => {
    if (eventListeners.size > 0 || statusListeners.size > 0 || !connection) return;
    const closing = connection;
    connection = null;
    closing.stop();
  };

  const notificationState: NotificationState = { pausedUntil: null, mutedTopics: [] };

  return {
    capabilities: WEB_CAPABILITIES,

    // The dashboard's history is the server's own log, replayed through the stream
    // (`?since=all`), so history and live events arrive in one ordered sequence with
    // no seam where an event could be lost or doubled.
    loadHistory: async () => [],

    onEvents(listener) {
      const off = eventListeners.add(listener);
      ensureConnected();
      return () => {
        off();
        releaseIfUnused();
      };
    },
    onStatus(listener) {
      const off = statusListeners.add(listener);
      listener(status());
      ensureConnected();
      return () => {
        off();
        releaseIfUnused();
      };
    },
    onReveal: () => () => {},

    async clearHistory() {
      // The server's log is shared with every other client; the dashboard only forgets
      // what came before now, and remembers it across reloads.
      const last = connection?.lastId;
      if (last) options.storage.setItem(STORAGE_CLEARED, last);
      for (const topic of Object.keys(ended)) delete ended[topic];
      statusListeners.emit(status());
    },

    notificationState: async () => notificationState,
    onNotificationState(listener) {
      listener(notificationState);
      return () => {};
    },
    pauseNotifications: () => Promise.reject(new Error(APP_ONLY)),
    resumeNotifications: () => Promise.reject(new Error(APP_ONLY)),
    setTopicMuted: () => Promise.reject(new Error(APP_ONLY)),

    async runJob(server, job) {
      const response = await request(`/jobs/${encodeURIComponent(job)}/runs`, { method: 'POST' });
      if (!response.ok) throw await describeFailure(response, `Starting job ${job}`);
      const body = (await response.json()) as { run: string; topic: string };
      return { server, job, run: String(body.run), topic: String(body.topic) };
    },
    async cancelJob(ref) {
      const response = await request(`/jobs/${encodeURIComponent(ref.job)}/runs/${encodeURIComponent(ref.run)}`, { method: 'DELETE' });
      if (!response.ok) throw await describeFailure(response, `Cancelling ${ref.job} run ${ref.run}`);
    },
    async jobLog(ref) {
      const response = await request(`/jobs/${encodeURIComponent(ref.job)}/runs/${encodeURIComponent(ref.run)}/log`);
      if (!response.ok) throw await describeFailure(response, `Reading the log of ${ref.job} run ${ref.run}`);
      return response.text();
    },

    async loadSettings() {
      return webSettings(options, storedTopics());
    },
    async saveSettings(settings: SettingsDocument): Promise<SaveSettingsResult> {
      const validation = validateSettings(settings);
      if (!validation.ok) return { ok: false, problems: validation.problems };
      const topics = settings.servers.find((s) => s.id === WEB_SERVER_ID)?.topics ?? ['**'];
      const changed = topics.join(',') !== storedTopics().join(',');
      options.storage.setItem(STORAGE_TOPICS, topics.join(','));
      if (changed && connection) connect();
      return { ok: true, settings: webSettings(options, storedTopics()) };
    },
  };
}

/** The dashboard's settings: this server (only its topics can change) and the app's defaults for the rest. */
function webSettings(options: WebBridgeOptions, topics: string[]): SettingsDocument {
  return {
    ...structuredClone(defaultSettings),
    servers: [{ id: WEB_SERVER_ID, name: options.label, url: options.baseUrl, token: '', topics, enabled: true }],
  };
}
