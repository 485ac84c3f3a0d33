// Opening one `GET /events` stream: register first (live events are held), then
// decide between 204 and a stream, send `gap` notices, replay the backlog from the
// log in pages, and finally release the held live events. Registering before reading
// the log is what makes the hand-over from replay to live lossless.

import type { ServerResponse } from 'node:http';
import { encodeEvent, encodeRetry } from '../protocol/frames.ts';
import type { GapData, HeraldEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import type { EventLog, GapInfo } from '../store/event-log.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Hub } from './hub.ts';
import { SseConnection } from './sse-connection.ts';
import { Subscription } from './subscription.ts';

export interface StreamSettings {
  retryMs: number;
  /** The hub's heartbeat interval (0: none), told to clients so their watchdogs match it. */
  heartbeatMs: number;
  /** Bytes a subscriber may have queued before it is dropped. */
  maxQueueBytes: number;
  /** Events read from the log per replay page; the loop is yielded between pages. */
  replayPageSize: number;
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
export function streamHeaders(settings: Pick<StreamSettings, 'heartbeatMs'>): Record<string, string> {
  return { ...SSE_HEADERS, 'Herald-Heartbeat-Ms': String(settings.heartbeatMs) };
}

export async function openStream(
  deps: { hub: Hub; log: EventLog; clock: Clock; settings: StreamSettings },
  res: ServerResponse,
  request: StreamRequest,
): Promise<void> {
  const { hub, log, settings } = deps;
  const { filter, since } = request;
  let sub: Subscription | undefined;
  const connection = new SseConnection(res, {
    maxQueueBytes: settings.maxQueueBytes,
    onClose: (reason) => {
      if (sub) hub.remove(sub, reason);
    },
  });
  sub = new Subscription({ filter, connection, compareIds: (a, b) => log.compareIds(a, b), maxHeldBytes: settings.maxQueueBytes });
  const resumeId = since !== null && since !== 'all' ? since : null;
  if (resumeId !== null) sub.resumeAfter(resumeId);
  hub.add(sub);
  try {
    if (filter.allExact) {
      const states = await Promise.all(filter.exactTopics.map((t) => log.topic(t)));
      sub.markEnded(states.filter((s) => s?.ended).map((s) => s!.topic));
    }
    const gaps = resumeId === null ? [] : await log.gapsAfter(resumeId, filter);
    let page = since === null ? [] : await log.readAfter(resumeId, filter, settings.replayPageSize);
    if (connection.closed) return;
    if (sub.allEnded && gaps.length === 0 && page.length === 0 && !sub.holding) {
      // Every topic asked for has ended and there is nothing to send: 204 tells
      // EventSource to stop reconnecting (HTML Standard, 9.2.3 "fail the connection").
      res.writeHead(204, { 'Cache-Control': 'no-cache' });
      connection.close('ended');
      return;
    }
    res.writeHead(200, streamHeaders(settings));
    res.socket?.setNoDelay(true);
    connection.enqueue(Buffer.from(encodeRetry(settings.retryMs)));
    for (const gap of gaps) sub.sendNotice(Buffer.from(encodeEvent(gapEvent(gap, resumeId!, deps.clock.now()))));
    while (page.length > 0) {
      for (const event of page) if (!sub.sendReplayed({ event, frame: Buffer.from(encodeEvent(event)) })) return;
      await connection.flushAndWait();
      if (connection.closed || page.length < settings.replayPageSize) break;
      // The log may answer synchronously (SQLite): yield to the event loop between
      // pages so a long replay never holds up other clients, publishes or heartbeats.
      await new Promise((resolve) => setImmediate(resolve));
      page = await log.readAfter(page[page.length - 1]!.id, filter, settings.replayPageSize);
    }
    if (connection.closed) return;
    sub.goLive();
    connection.flush();
    sub.closeIfAllEnded();
  } catch (error) {
    if (!res.headersSent) {
      connection.close('ended');
      hub.remove(sub);
      throw error;
    }
    // Mid-replay the status line is gone: close, and the client resumes by id.
    connection.close('ended');
  }
}

function gapEvent(gap: GapInfo, since: string, now: number): HeraldEvent<'gap'> {
  const count = gap.lost === null ? 'Some events' : `${gap.lost} event${gap.lost === 1 ? '' : 's'}`;
  const data: GapData = {
    topic: gap.topic,
    time: now,
    since,
    lost: gap.lost,
    message: `${count} of ${gap.topic} after id ${since} are no longer retained; the retained ones follow`,
  };
  // The gap carries the resume id itself: resuming from it is exactly where the
  // client was, so nothing is skipped.
  return { id: since, type: 'gap', data };
}
