// GET /events?topics=a,b,job/* : the multiplexed SSE stream (docs/protocol.md,
// "Subscribe"). `Last-Event-ID` (what EventSource sends on reconnect) wins over
// `?since=`, which a first connection uses to resume (`?since=all` replays all).

import type { IncomingMessage } from 'node:http';
import { HeraldError } from '../../protocol/errors.ts';
import { TopicFilter } from '../../protocol/topics.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { Hub } from '../../hub/hub.ts';
import { openStream, streamHeaders, type StreamSettings } from '../../hub/open-stream.ts';
import { SubscriberLimits } from '../../hub/subscriber-limits.ts';
import { serverLimits, type ServerLimits } from '../../server-limits.ts';
import type { Route } from '../router.ts';
import { narrowOrRefuse } from '../access.ts';

export type EventsLimits = Pick<ServerLimits, 'maxTopicsPerConnection' | 'maxSubscribers' | 'maxSubscribersPerClient' | 'limitLoopbackSubscribers'>;

export function resumePoint(req: IncomingMessage, url: URL, log: EventLog): string | null {
  const header = req.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header)?.trim() || url.searchParams.get('since');
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw === 'all') return 'all';
  if (!log.isValidId(raw)) {
    const source = header ? 'Last-Event-ID' : '"since"';
    throw new HeraldError('bad_id', `expected ${source} to be an event id from this server or "all", got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  return raw;
}

export function eventsRoute(deps: {
  hub: Hub;
  log: EventLog;
  clock: Clock;
  settings: StreamSettings;
  /** Topics per connection and open streams; the defaults of server-limits.ts when left out. */
  limits?: Partial<EventsLimits>;
}): Route {
  const limits = serverLimits(deps.limits);
  const slots = new SubscriberLimits(limits);
  return {
    method: 'GET',
    path: '/events',
    auth: 'subscribe',
    async handle({ req, res, url, client, access }) {
      const topics = url.searchParams.getAll('topics').join(',');
      if (topics.trim() === '') {
        throw new HeraldError('bad_topic', 'expected ?topics=a,b,job/* naming at least one topic or pattern, got none');
      }
      const requested = TopicFilter.parse(topics);
      if (requested.patterns.length > limits.maxTopicsPerConnection) {
        throw new HeraldError('bad_topic', `expected at most ${limits.maxTopicsPerConnection} topics or patterns on one connection, got ${requested.patterns.length}; use a pattern (job/*) or a second connection`);
      }
      // What the token may not read is cut out here, so no event outside its scope is ever sent.
      const filter = new TopicFilter(narrowOrRefuse(access, requested.patterns.map((p) => p.source)));
      const since = resumePoint(req, url, deps.log);
      // Held until the response closes, however it ends (204, error, client gone, shutdown).
      res.once('close', slots.admit(client));
      if (req.method === 'HEAD') {
        // The router answers HEAD with GET routes; a HEAD must not open a stream.
        res.writeHead(200, streamHeaders(deps.settings)).end();
        return;
      }
      await openStream(deps, res, { filter, since });
    },
  };
}
