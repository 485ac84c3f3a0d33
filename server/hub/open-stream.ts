// Opening one `GET /events` stream: register first (live events are held), then
// decide between 204 and a stream, send `gap` notices, replay the backlog from the
// log under flow control (replay.ts), and finally release the held live events.
// Registering before reading the log is what makes the hand-over from replay to live
// lossless.

import type { ServerResponse } from 'node:http';
import { encodeEvent, encodeRetry } from '../protocol/frames.ts';
import { jitteredRetryMs } from '../protocol/retry-jitter.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Hub } from './hub.ts';
import { firstPageLimit, pageBytesFor, replay, type ReplayOptions } from './replay.ts';
import { resumeStart, type ResumeStart } from './resume-start.ts';
import { SseConnection } from './sse-connection.ts';
import { failOpening } from './stream-failure.ts';
import { Subscription } from './subscription.ts';

export interface StreamSettings {
  retryMs: number;
  /** The hub's heartbeat interval (0: none), told to clients so their watchdogs match it. */
  heartbeatMs: number;
  /** Bytes a subscriber may have pending (queued, held or unsent replay) before it is dropped. */
  maxQueueBytes: number;
  /** Events read from the log per replay page at most; pages are also bounded in bytes. */
  replayPageSize: number;
  /** A subscriber whose socket has not taken its backlog this long after it connected is dropped. */
  replayTimeoutMs: number;
}

export interface StreamRequest {
  filter: TopicFilter;
  /** A log id to resume after, `all` for everything retained, or null for live only. */
  since: string | null;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // Tells nginx-style proxies not to buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * The stream's response headers. `Herald-Heartbeat-Ms` tells a client how often a
 * `: hb` comment comes, so its silence watchdog (2.5 intervals) fits this server's
 * --heartbeat-sec instead of assuming the 15 s default; 0 means none is sent.
 */
export function streamHeaders(settings: Pick<StreamSettings, 'heartbeatMs'>): Readonly<Record<string, string>> {
  let headers = headersByHeartbeat.get(settings.heartbeatMs);
  if (headers === undefined) {
    // Frozen and shared: the stream's head builds and checks their lines once (stream-output.ts).
    headers = Object.freeze({ ...SSE_HEADERS, 'Herald-Heartbeat-Ms': String(settings.heartbeatMs) });
    headersByHeartbeat.set(settings.heartbeatMs, headers);
  }
  return headers;
}

const headersByHeartbeat = new Map<number, Readonly<Record<string, string>>>();

export async function openStream(
  deps: { hub: Hub; log: EventLog; clock: Clock; settings: StreamSettings },
  res: ServerResponse,
  request: StreamRequest,
): Promise<void> {
  const { hub, log, clock, settings } = deps;
  const { filter, since } = request;
  const started = performance.now();
  const deadlineAt = clock.now() + settings.replayTimeoutMs;
  let sub: Subscription | undefined;
  const connection = new SseConnection(res, {
    maxQueueBytes: settings.maxQueueBytes,
    onClose: (reason) => {
      if (sub) hub.remove(sub, reason);
    },
  });
  sub = new Subscription({ filter, connection, compareIds: (a, b) => log.compareIds(a, b), maxHeldBytes: settings.maxQueueBytes });
  hub.add(sub);
  try {
    if (filter.allExact) {
      const states = await Promise.all(filter.exactTopics.map((t) => log.topic(t)));
      sub.markEnded(states.filter((s) => s?.ended).map((s) => s!.topic));
    }
    const start: ResumeStart | null =
      since === null ? null : since === 'all' ? { after: null, known: true, notices: [] } : await resumeStart(log, since, filter, clock.now());
    if (start?.known && start.after !== null) sub.resumeAfter(start.after);
    const notices = start?.notices ?? [];
    const page = start === null ? [] : await log.readAfter(start.after, filter, firstPageLimit(settings.replayPageSize));
    if (connection.closed) return;
    if (sub.allEnded && notices.length === 0 && page.length === 0 && !sub.holding) {
      // Every topic asked for has ended and there is nothing to send: 204 tells
      // EventSource to stop reconnecting (HTML Standard, 9.2.3 "fail the connection").
      res.writeHead(204, { 'Cache-Control': 'no-cache' });
      connection.close('ended');
      return;
    }
    connection.begin(streamHeaders(settings));
    // Each stream its own delay in [retryMs, 2 x retryMs], so a restart is not a stampede.
    connection.enqueue(Buffer.from(encodeRetry(jitteredRetryMs(settings.retryMs))));
    for (const notice of notices) sub.sendNotice(Buffer.from(encodeEvent(notice)));
    const replayed = await replay(sub, page, replayOptions(deps, filter, deadlineAt));
    if (!replayed.complete || connection.closed) return;
    if (since !== null) {
      hub.stats.replays++;
      hub.stats.replayedEvents += replayed.sent;
      hub.stats.replaySeconds.observe((performance.now() - started) / 1000);
    }
    sub.goLive();
    connection.flush();
    sub.closeIfAllEnded();
  } catch (error) {
    failOpening(error, connection);
  }
}

/** How a stream opened now with these settings replays: flow-controlled pages, dropped as 'stalled' at the deadline. */
export function replayOptions(
  deps: { log: EventLog; clock: Clock; settings: Pick<StreamSettings, 'replayPageSize' | 'maxQueueBytes'> },
  filter: TopicFilter,
  deadlineAt: number,
): ReplayOptions {
  return {
    log: deps.log,
    filter,
    clock: deps.clock,
    pageSize: deps.settings.replayPageSize,
    pageBytes: pageBytesFor(deps.settings.maxQueueBytes),
    deadlineAt,
  };
}
