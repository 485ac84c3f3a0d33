// A Herald server's stream: every topic on ONE EventSource (`/events?topics=a,b`),
// because browsers and proxies allow only a few connections per host
// (docs/protocol.md, "Subscribe"). The observed fetch (observed-fetch.ts) adds the
// token and `Last-Event-ID`, and shows the connection the bytes, `retry:`, the
// announced heartbeat and why a request was refused. Each message is read by the
// event vocabulary's parseEvent.

import { EVENT_TYPES } from '../../../server/protocol/events.ts';
import { parseEvent } from '../../../server/protocol/event-vocabulary.ts';
import { HERALD_STREAM_WORDS, judgeBrokenStream, judgeRefusal } from './connection-failure.ts';
import { createObservedFetch, type RefusedAnswer } from './observed-fetch.ts';
import type { ConnectionDeps, ServerSubscription, StreamTransport } from './stream-transport.ts';

/** `<base>/events?topics=a,b` (plus `since=all` on a first connection that asked for it). */
export function eventsUrl(base: string, topics: readonly string[], sinceAll: boolean): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/events`;
  url.search = '';
  url.searchParams.set('topics', topics.join(','));
  if (sinceAll) url.searchParams.set('since', 'all');
  return url.href;
}

export function heraldTransport(config: ServerSubscription, deps: ConnectionDeps): StreamTransport {
  return {
    words: HERALD_STREAM_WORDS,
    heartbeatMs: deps.heartbeatMs,
    open(request, sink) {
      const url = eventsUrl(config.url, request.topics, request.sinceAll);
      let refused: RefusedAnswer | null = null;
      const fetch = createObservedFetch(deps.fetch, {
        token: config.token,
        lastEventId: request.resumeId,
        bytes: () => sink.bytes(),
        retry: (ms) => sink.retry(ms),
        heartbeat: (ms) => sink.heartbeat(ms),
        refused: (answer) => (refused = answer),
      });
      const source = new deps.EventSource(url, { fetch });
      source.addEventListener('open', () => sink.opened());
      source.addEventListener('error', (error) => {
        source.close();
        sink.failed(refused ? judgeRefusal(refused, url) : judgeBrokenStream(error.message));
      });
      for (const type of EVENT_TYPES) {
        source.addEventListener(type, (message) => {
          const id = message.lastEventId;
          const parsed = parseEvent({ type, id, data: String(message.data) });
          if (parsed.ok) sink.received(parsed.event, id);
          else sink.problem(parsed.problem);
        });
      }
      return { close: () => source.close() };
    },
  };
}
