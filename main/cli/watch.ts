// `herald watch [URL] --topics a,b`: the desktop core in a terminal. It subscribes
// with the same SubscriptionManager as the app (one connection, backoff, watchdog,
// resume), prints each event, and with --notify raises native notifications through
// the same policy and notifier seam. Exits 0 once every watched topic has ended, 1 on
// a failure that retrying cannot fix (a wrong token, a wrong URL).

import { systemClock, localCalendar } from '../core/clock.ts';
import { NotificationDispatcher } from '../core/notifier/notification-dispatcher.ts';
import { platformNotifier } from '../core/notifier/platform-notifier.ts';
import type { Notifier } from '../core/notifier/notifier.ts';
import { NotificationPolicy } from '../core/policy/notification-policy.ts';
import { defaultSettings } from '../core/settings/settings-schema.ts';
import { DEFAULT_HEARTBEAT_MS, SubscriptionManager } from '../core/subscriptions/subscription-manager.ts';
import type { ServerSnapshot } from '../core/subscriptions/subscription-state.ts';
import { patternProblem } from '../../server/protocol/topics.ts';
import { numberFlag, parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { DEFAULT_SERVER_URL } from './server-api.ts';
import { MAX_HEARTBEAT_SEC } from '../../server/config/durations.ts';
import { tokenOption } from './token-option.ts';
import { eventJson, eventLine, stateJson, stateLine, terminalIO } from './watch-format.ts';

const help = `usage: herald watch [URL] --topics a,b [options]

Subscribe to topics and print each event as it arrives, with connection changes.
Reconnects by itself (backoff with jitter; resumes by event id, so nothing is lost
or repeated). Exits 0 once every watched topic has ended; 1 when the server refuses
(wrong token, not a Herald server); Ctrl-C stops it.

arguments:
  URL                the server (default: $HERALD_URL, else the desktop app's server
                     while it runs, else ${DEFAULT_SERVER_URL})

options:
  --topics A,B       topics or patterns to watch (job/*, probe/**), comma-separated
  --token TOKEN      the server's token (default: $HERALD_TOKEN, or the app's token
                     when it is the app's server)
  --since all|ID     also print retained events: all of them, or those after ID
  --heartbeat-sec N  the heartbeat interval to assume until the server announces
                     its own (default 15, as herald serve; at most ${MAX_HEARTBEAT_SEC}); no byte
                     for 2.5 intervals means the connection is dead
  --notify           raise desktop notifications (Linux: notify-send; macOS:
                     osascript; Windows: a PowerShell toast), with the desktop app's
                     policy: notify, alert, end and gap notify, bursts are coalesced
  --json             one JSON object per line instead of text
  -h, --help         show this help

examples:
  herald watch --topics backups,job/*
  herald watch http://build-box:8080 --topics ci/main --token "$TOKEN" --notify
  herald watch --topics job/deploy/42 --json | jq -r .data.summary`;

export interface WatchOptions {
  url: string;
  topics: string[];
  token: string;
  since: string | null;
  notify: boolean;
  json: boolean;
  heartbeatMs: number;
}

export function watchOptions(argv: string[], env: NodeJS.ProcessEnv): WatchOptions {
  const parsed = parseCommandArgs('watch', argv, {
    topics: { type: 'string' },
    token: { type: 'string' },
    since: { type: 'string' },
    'heartbeat-sec': { type: 'string' },
    notify: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (parsed.positionals.length > 1) {
    throw new UsageError(`herald watch: expected at most one URL, got ${parsed.positionals.length} arguments: ${parsed.positionals.join(' ')}`);
  }
  const url = parsed.positionals[0] ?? (env.HERALD_URL || DEFAULT_SERVER_URL);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`herald watch: expected the server as an http(s) URL like ${DEFAULT_SERVER_URL}, got ${JSON.stringify(url)}`);
  }
  const topics = (stringFlag(parsed, 'topics') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (topics.length === 0) throw new UsageError('herald watch: expected --topics a,b naming at least one topic or pattern, e.g. herald watch --topics backups,job/*');
  for (const topic of topics) {
    const problem = patternProblem(topic);
    if (problem) throw new UsageError(`herald watch: ${problem}`);
  }
  return {
    url,
    topics,
    token: tokenOption('watch', parsed, env) ?? '',
    since: stringFlag(parsed, 'since') ?? null,
    notify: parsed.flags.notify === true,
    json: parsed.flags.json === true,
    heartbeatMs: Math.round((numberFlag('watch', parsed, 'heartbeat-sec', { min: 0.1, max: MAX_HEARTBEAT_SEC }) ?? DEFAULT_HEARTBEAT_MS / 1000) * 1000),
  };
}

/** Watch until every topic ended (0), a failure (1) or `stop` aborts (0). */
export async function watch(options: WatchOptions, io: CliIO, stop: AbortSignal, notifier: Notifier = platformNotifier()): Promise<number> {
  io = terminalIO(io, options.json);
  const clock = systemClock;
  const since = options.since;
  const manager = new SubscriptionManager({
    clock,
    heartbeatMs: options.heartbeatMs,
    ...(since !== null && since !== 'all' ? { resumePoints: { load: () => since, save: () => {} } } : {}),
  });
  let dispatcher: NotificationDispatcher | null = null;
  if (options.notify) {
    const { rules, quietHours, pause, mutedTopics, coalesce, reAlert } = defaultSettings;
    const reported = new Set<string>();
    dispatcher = new NotificationDispatcher({
      policy: new NotificationPolicy({ rules, quietHours, pause, mutedTopics, coalesce, reAlert: { ...reAlert, enabled: false } }, localCalendar),
      notifier,
      clock,
      onError: (error) => {
        // One line per distinct problem, not one per event.
        if (!reported.has(error.message)) io.err(`herald watch: cannot show a notification: ${error.message}`);
        reported.add(error.message);
      },
    });
  }

  let previous: ServerSnapshot | undefined;
  let done = false;
  const exitCode = await new Promise<number>((finish) => {
    const resolve = (code: number) => {
      done = true;
      finish(code);
    };
    manager.on('event', (_serverId, event) => {
      io.out(options.json ? eventJson(event) : eventLine(event));
      dispatcher?.handle('watch', event);
    });
    manager.on('problem', (_serverId, message) => io.err(`herald watch: ${message}`));
    manager.on('status', ([snapshot]) => {
      if (!snapshot || done) return;
      const line = stateLine(snapshot, previous, clock.now());
      previous = snapshot;
      if (snapshot.connection.kind === 'failed') {
        if (options.json) io.out(stateJson(snapshot));
        io.err(`herald watch: ${snapshot.connection.reason}`);
        return resolve(1);
      }
      // State lines go to stderr in text mode, so stdout carries only events.
      if (line !== null) options.json ? io.out(stateJson(snapshot)) : io.err(line);
      if (snapshot.connection.kind === 'closed' && snapshot.connection.reason !== 'stopped') resolve(0);
    });
    stop.addEventListener('abort', () => resolve(0), { once: true });
    manager.setServers([
      { id: 'watch', name: options.url, url: options.url, token: options.token, topics: options.topics, ...(since === 'all' ? { since: 'all' as const } : {}) },
    ]);
  });
  manager.stop();
  dispatcher?.stop();
  await dispatcher?.settled();
  return exitCode;
}

export const watchCommand: Command = {
  summary: 'print (and notify) events of topics as they arrive',
  help,
  async run(argv, io) {
    const options = watchOptions(argv, io.env);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      return await watch(options, io, controller.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
