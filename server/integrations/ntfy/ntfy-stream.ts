// One ntfy subscription stream (`/<topics>/json`, `/sse`, `/raw`), on the same hub and
// log as Herald's own streams (server/hub/open-stream.ts): registered before the log
// is read, so the hand-over from replay to live loses and repeats nothing; the same
// per-subscriber queue, so a stalled reader is dropped once `maxQueueBytes` piles up
// (it resumes with since=<last id>); the same flow-controlled replay (hub/replay.ts),
// dropped as 'stalled' when its socket has not taken the backlog by the deadline; and
// the same answer to a resume id this log never issued: everything it holds. What differs is ntfy's: an `open` message first,
// `keepalive` messages as the heartbeat, ntfy's message JSON, and `poll=1`, which
// sends what is retained and ends.

import type { ServerResponse } from 'node:http';
import type { HeraldEvent } from '../../protocol/events.ts';
import { TopicFilter } from '../../protocol/topics.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { Hub } from '../../hub/hub.ts';
import { replayOptions, type StreamSettings } from '../../hub/open-stream.ts';
import { firstPageLimit, replay } from '../../hub/replay.ts';
import { resumeStart } from '../../hub/resume-start.ts';
import { SseConnection } from '../../hub/sse-connection.ts';
import { failOpening } from '../../hub/stream-failure.ts';
import { Subscription } from '../../hub/subscription.ts';
import type { StreamFormat } from '../../hub/stream-format.ts';
import { NTFY_CONTENT_TYPES, isNtfyMessage, ntfyControlMessage, ntfyFrame, type NtfyStreamKind } from './ntfy-message.ts';
import type { NtfySince } from './ntfy-since.ts';

export interface NtfyStreamRequest {
  kind: NtfyStreamKind;
  topics: string[];
  /** The topics as the path named them (`a,b`), for `open` and `keepalive`. */
  label: string;
  since: NtfySince;
  poll: boolean;
  /** ntfy's query filters (id, message, title, priority, tags), or null for none. */
  accepts: ((event: HeraldEvent) => boolean) | null;
}

export interface NtfyStreamDeps {
  hub: Hub;
  log: EventLog;
  clock: Clock;
  settings: StreamSettings;
  formats: Record<NtfyStreamKind, StreamFormat>;
}

export function ntfyStreamHeaders(kind: NtfyStreamKind): Record<string, string> {
  return { 'Content-Type': NTFY_CONTENT_TYPES[kind], 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' };
}

export async function openNtfyStream(deps: NtfyStreamDeps, res: ServerResponse, request: NtfyStreamRequest): Promise<void> {
  const { hub, log, clock, settings } = deps;
  const { kind, label, since, poll } = request;
  const filter = new TopicFilter(request.topics);
  const deadlineAt = clock.now() + settings.replayTimeoutMs;
  let sub: Subscription | undefined;
  const connection = new SseConnection(res, {
    maxQueueBytes: settings.maxQueueBytes,
    onClose: (reason) => {
      if (sub) hub.remove(sub, reason);
    },
  });
  sub = new Subscription({
    filter,
    connection,
    compareIds: (a, b) => log.compareIds(a, b),
    maxHeldBytes: settings.maxQueueBytes,
    format: deps.formats[kind],
    heartbeat: () => ntfyFrame(kind, ntfyControlMessage('keepalive', label, clock.now())),
    ...(request.accepts === null ? {} : { accepts: request.accepts }),
    endsWithTopics: false,
  });
  // A poll sends what is retained and ends: it never takes live events.
  if (!poll) hub.add(sub);
  try {
    const backlog = await firstPage(deps, filter, since);
    if (backlog.resumeAfter !== undefined) sub.resumeAfter(backlog.resumeAfter);
    if (connection.closed) return;
    connection.begin(ntfyStreamHeaders(kind));
    if (!poll) connection.enqueue(ntfyFrame(kind, ntfyControlMessage('open', label, clock.now())));
    for (const event of backlog.latest) {
      const frame = sub.format.encode(event);
      if (frame !== null && !sub.sendReplayed({ event, frame })) return;
    }
    const replayed = await replay(sub, backlog.page, replayOptions(deps, filter, deadlineAt), backlog.skip);
    if (!replayed.complete || connection.closed) return;
    if (poll) {
      connection.endAfterFlush();
      return;
    }
    sub.goLive();
    connection.flush();
  } catch (error) {
    failOpening(error, connection);
  }
}

interface Backlog {
  /** For since=latest: each topic's newest message, sent before `page`. */
  latest: HeraldEvent[];
  /** The first page of the rest (read with readAfter and firstPageLimit, so replay reads on from it). */
  page: HeraldEvent[];
  /** The client's resume id when this log issued it: live events up to it were already sent. */
  resumeAfter?: string;
  skip?: (event: HeraldEvent) => boolean;
}

async function firstPage(deps: NtfyStreamDeps, filter: TopicFilter, since: NtfySince): Promise<Backlog> {
  const { log, clock, settings } = deps;
  const size = firstPageLimit(settings.replayPageSize);
  switch (since.kind) {
    case 'none':
      return { latest: [], page: [] };
    case 'all':
      return { latest: [], page: await log.readAfter(null, filter, size) };
    case 'id': {
      // An id ahead of the log (its data dir was wiped): ntfy has no gap message, so
      // the client just gets everything retained, as with since=all.
      const start = await resumeStart(log, since.id, filter, clock.now());
      if (!start.known) return { latest: [], page: await log.readAfter(null, filter, size) };
      return { latest: [], page: await log.readAfter(since.id, filter, size), resumeAfter: since.id };
    }
    case 'time':
      return { latest: [], page: await log.readAfter(null, filter, size), skip: (event) => event.data.time < since.ms };
    case 'latest':
      return latestPerTopic(deps, filter);
  }
}

/**
 * since=latest: read what is retained once, keep each topic's newest event that ntfy
 * shows, then go on from the last event read (the subscription was registered
 * before this read, so what arrives meanwhile is held, and what the read missed at
 * its end is read next).
 */
async function latestPerTopic(deps: NtfyStreamDeps, filter: TopicFilter): Promise<Backlog> {
  const { log, settings } = deps;
  const newest = new Map<string, HeraldEvent>();
  let after: string | null = null;
  for (;;) {
    const page = await log.readAfter(after, filter, settings.replayPageSize);
    for (const event of page) if (isNtfyMessage(event)) newest.set(event.data.topic, event);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    if (page.length < settings.replayPageSize) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const latest = [...newest.values()].sort((a, b) => log.compareIds(a.id, b.id));
  return { latest, page: after === null ? [] : await log.readAfter(after, filter, firstPageLimit(settings.replayPageSize)) };
}
