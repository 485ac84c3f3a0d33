// `herald watch [URL] --topics a,b`: the desktop app in a terminal. It subscribes
// with the same SubscriptionManager as the app (one connection, backoff, watchdog,
// resume), to a Herald server, an ntfy server (`--kind ntfy`) or a plain SSE URL
// (`--kind sse`), prints each event, and with --notify raises native notifications through
// the same policy and notifier seam. Exits 0 once every watched topic has ended, 1 on
// a failure that retrying cannot fix (a wrong token, a wrong URL).

import { systemClock } from '../../server/protocol/clock.ts';
import { localCalendar } from '../app/notifications/policy/calendar.ts';
import { NotificationDispatcher } from '../app/notifications/notification-dispatcher.ts';
import { platformNotifier } from '../app/notifications/platform-notifier.ts';
import type { Notifier } from '../app/notifications/notifier.ts';
import { NotificationPolicy } from '../app/notifications/policy/notification-policy.ts';
import { DEFAULT_HEARTBEAT_MS, SubscriptionManager } from '../app/subscriptions/subscription-manager.ts';
import type { ServerSnapshot } from '../app/subscriptions/subscription-state.ts';
import { patternProblem, topicProblem } from '../../server/protocol/topics.ts';
import { NTFY_TOPIC, sseTemplateProblems, type SseTemplates } from '../../server/protocol/event-vocabulary.ts';
import { defaultSettings, SERVER_KINDS, type ServerKind } from '../app/settings/settings-schema.ts';
import { numberFlag, parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { DEFAULT_SERVER_URL } from './server-api.ts';
import { MAX_HEARTBEAT_SEC } from '../../server/config/durations.ts';
import { tokenOption } from './token-option.ts';
import { eventJson, eventLine, stateJson, stateLine, terminalIO } from './watch-format.ts';

const help = `usage: herald watch [URL] --topics a,b [options]
       herald watch URL --kind ntfy --topics a,b [--token T | --user U:P]
       herald watch URL --kind sse [--topics NAME] [--template field=TEMPLATE ...]

Subscribe to topics and print each event as it arrives, with connection changes.
Reconnects by itself (backoff with jitter; resumes by event id, so nothing is lost
or repeated). Exits 0 once every watched topic has ended; 1 when the server refuses
(wrong token, not a Herald server); Ctrl-C stops it.

arguments:
  URL                the server (default: $HERALD_URL, else the desktop app's server
                     while it runs, else ${DEFAULT_SERVER_URL}); with --kind ntfy the
                     ntfy server's base URL, with --kind sse the stream's own URL

options:
  --topics A,B       topics or patterns to watch (job/*, probe/**), comma-separated;
                     ntfy: topic names; sse: the one topic its events are shown
                     under (default sse)
  --kind KIND        herald (default), ntfy (an ntfy server's JSON stream, resumed
                     with since=) or sse (any text/event-stream URL, each event's
                     data shown as text)
  --token TOKEN      the server's token, sent as Bearer (default for a Herald server:
                     $HERALD_TOKEN, or the app's token when it is the app's server)
  --user USER[:PASS] ntfy and sse: Basic authentication (the password defaults to
                     the token)
  --template F=T     sse: map each event with a template over {event, id, data}, for
                     the field F (title, body, priority, tags or click), as the
                     generic webhooks do; repeatable
  --since all|ID     also print retained events: all of them, or those after ID
  --heartbeat-sec N  the heartbeat interval to assume until the server announces
                     its own (default 15, as herald serve; ntfy: at least 45, its
                     keepalive; at most ${MAX_HEARTBEAT_SEC}); no byte for 2.5 intervals
                     means the connection is dead. A plain SSE URL has no watchdog
  --notify           raise desktop notifications (Linux: notify-send; macOS:
                     osascript; Windows: a PowerShell toast), with the desktop app's
                     policy: notify, alert, end and gap notify, bursts are coalesced
  --json             one JSON object per line instead of text
  -h, --help         show this help

examples:
  herald watch --topics backups,job/*
  herald watch http://build-box:8080 --topics ci/main --token "$TOKEN" --notify
  herald watch --topics job/deploy/42 --json | jq -r .data.summary
  herald watch https://ntfy.sh --kind ntfy --topics mytopic --notify
  herald watch https://example.org/stream --kind sse --topics status \\
    --template 'title={{ data.service }}' --template 'body={{ data.detail }}'`;

export interface WatchOptions {
  url: string;
  topics: string[];
  token: string;
  kind: ServerKind;
  /** ntfy and sse: Basic authentication as this user, `token` being the password. */
  username: string;
  templates: SseTemplates | null;
  since: string | null;
  notify: boolean;
  json: boolean;
  heartbeatMs: number;
}

export function watchOptions(argv: string[], env: NodeJS.ProcessEnv): WatchOptions {
  const parsed = parseCommandArgs('watch', argv, {
    topics: { type: 'string' },
    token: { type: 'string' },
    kind: { type: 'string' },
    user: { type: 'string' },
    template: { type: 'string', multiple: true },
    since: { type: 'string' },
    'heartbeat-sec': { type: 'string' },
    notify: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (parsed.positionals.length > 1) {
    throw new UsageError(`herald watch: expected at most one URL, got ${parsed.positionals.length} arguments: ${parsed.positionals.join(' ')}`);
  }
  const kind = kindOption(stringFlag(parsed, 'kind'));
  if (kind !== 'herald' && parsed.positionals[0] === undefined) {
    throw new UsageError(`herald watch: expected the ${kind === 'ntfy' ? "ntfy server's base URL" : "stream's URL"} with --kind ${kind}, e.g. herald watch ${kind === 'ntfy' ? 'https://ntfy.sh --kind ntfy --topics mytopic' : 'https://example.org/stream --kind sse'}`);
  }
  const url = parsed.positionals[0] ?? (env.HERALD_URL || DEFAULT_SERVER_URL);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`herald watch: expected the server as an http(s) URL like ${DEFAULT_SERVER_URL}, got ${JSON.stringify(url)}`);
  }
  const topics = topicsOption(kind, stringFlag(parsed, 'topics'));
  // $HERALD_TOKEN is a Herald server's: never sent to an ntfy server or an SSE URL unasked.
  const token = tokenOption('watch', parsed, kind === 'herald' ? env : { ...env, HERALD_TOKEN: '' }) ?? '';
  const { username, password } = userOption(kind, stringFlag(parsed, 'user'), token);
  return {
    url,
    topics,
    kind,
    username,
    templates: templatesOption(kind, parsed.flags.template),
    token: password,
    since: stringFlag(parsed, 'since') ?? null,
    notify: parsed.flags.notify === true,
    json: parsed.flags.json === true,
    heartbeatMs: Math.round((numberFlag('watch', parsed, 'heartbeat-sec', { min: 0.1, max: MAX_HEARTBEAT_SEC }) ?? DEFAULT_HEARTBEAT_MS / 1000) * 1000),
  };
}

function kindOption(raw: string | undefined): ServerKind {
  if (raw === undefined) return 'herald';
  if ((SERVER_KINDS as readonly string[]).includes(raw)) return raw as ServerKind;
  throw new UsageError(`herald watch: expected --kind to be one of ${SERVER_KINDS.join(', ')}, got ${JSON.stringify(raw)}`);
}

function topicsOption(kind: ServerKind, raw: string | undefined): string[] {
  const topics = (raw ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (kind === 'sse') {
    if (topics.length > 1) throw new UsageError(`herald watch: expected one topic for a plain SSE URL's events, got ${topics.length}: ${topics.join(',')}`);
    const topic = topics[0] ?? 'sse';
    const problem = topicProblem(topic);
    if (problem) throw new UsageError(`herald watch: ${problem}`);
    return [topic];
  }
  if (topics.length === 0) {
    const example = kind === 'ntfy' ? '--topics alerts,backups' : '--topics backups,job/*';
    throw new UsageError(`herald watch: expected --topics a,b naming at least one topic${kind === 'ntfy' ? '' : ' or pattern'}, e.g. herald watch ${example}`);
  }
  for (const topic of topics) {
    if (kind === 'ntfy') {
      if (!NTFY_TOPIC.test(topic)) throw new UsageError(`herald watch: expected ntfy topic names of 1 to 64 letters, digits, "-" or "_", got ${JSON.stringify(topic)}`);
      continue;
    }
    const problem = patternProblem(topic);
    if (problem) throw new UsageError(`herald watch: ${problem}`);
  }
  return topics;
}

/** `--user USER[:PASSWORD]`: the password defaults to the token. */
function userOption(kind: ServerKind, raw: string | undefined, token: string): { username: string; password: string } {
  if (raw === undefined) return { username: '', password: token };
  if (kind === 'herald') throw new UsageError('herald watch: --user is for --kind ntfy or sse; a Herald server takes --token');
  const colon = raw.indexOf(':');
  const username = colon < 0 ? raw : raw.slice(0, colon);
  if (username === '' || /[\u0000-\u001f]/.test(username)) throw new UsageError('herald watch: expected --user USER or USER:PASSWORD with a user name, got none');
  return { username, password: colon < 0 ? token : raw.slice(colon + 1) };
}

function templatesOption(kind: ServerKind, raw: string | boolean | string[] | undefined): SseTemplates | null {
  const given = Array.isArray(raw) ? raw : [];
  if (given.length === 0) return null;
  if (kind !== 'sse') throw new UsageError('herald watch: --template is for --kind sse');
  const templates: Record<string, string> = {};
  for (const item of given) {
    const equals = item.indexOf('=');
    if (equals < 1) throw new UsageError(`herald watch: expected --template FIELD=TEMPLATE, e.g. --template 'title={{ data.name }}', got ${JSON.stringify(item)}`);
    templates[item.slice(0, equals)] = item.slice(equals + 1);
  }
  const problems = sseTemplateProblems(templates);
  if (problems.length > 0) throw new UsageError(`herald watch: --template ${problems.join('; ')}`);
  return templates as SseTemplates;
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
      {
        id: 'watch',
        name: options.url,
        url: options.url,
        token: options.token,
        topics: options.topics,
        kind: options.kind,
        username: options.username,
        ...(options.templates ? { templates: options.templates } : {}),
        ...(since === 'all' ? { since: 'all' as const } : {}),
      },
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
