// Replay: the backlog a subscription asked for, read from the log in pages and
// written under the same flow control as live delivery. A page is bounded in bytes as
// well as in events, goes out in one write, and the next page is read only once the
// socket has taken it ('drain'). So a reader that stops reading costs this process
// one page, not its backlog; what the socket has not taken counts against the
// subscriber's queue limit together with the live events held meanwhile
// (Subscription.deliver). A replay whose socket still has not taken a page at the
// deadline is dropped as 'stalled': the client resumes by id later and keeps what
// it got.

import type { HeraldEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import type { EventLog } from '../store/event-log.ts';
import type { Clock } from '../protocol/clock.ts';
import type { SseConnection } from './sse-connection.ts';
import type { Subscription } from './subscription.ts';

/** Events in the first page, before the size of this backlog's events is known. */
export const FIRST_PAGE_EVENTS = 16;
/** Bytes per page at most (less when the subscriber's queue limit is small). */
export const MAX_PAGE_BYTES = 64 * 1024;

export interface ReplayOptions {
  log: EventLog;
  filter: TopicFilter;
  clock: Clock;
  /** Most events per page. */
  pageSize: number;
  /** Bytes per page: the page ends with the event that reaches it. */
  pageBytes: number;
  /** When (clock time) a replay still waiting for its socket is dropped. */
  deadlineAt: number;
}

/** The page byte budget for a subscriber queue limit: a quarter of it, at most MAX_PAGE_BYTES. */
export function pageBytesFor(maxQueueBytes: number): number {
  return Math.max(1, Math.min(MAX_PAGE_BYTES, Math.floor(maxQueueBytes / 4)));
}

/** How many events the first page asks for. */
export function firstPageLimit(pageSize: number): number {
  return Math.max(1, Math.min(pageSize, FIRST_PAGE_EVENTS));
}

/** How a replay ended: `complete` once the log is exhausted and the socket has taken it all. */
export interface ReplayResult {
  complete: boolean;
  /** Events written to the stream (those the format or `skip` leave out are not counted). */
  sent: number;
}

/**
 * Send `first` (read with `firstPageLimit`) and every later page in the
 * subscription's format, each once the socket has room; events `skip` names are
 * read past but not sent. Not complete when the connection closed (the client left,
 * an overflow, or the deadline).
 */
export async function replay(
  sub: Subscription,
  first: readonly HeraldEvent[],
  options: ReplayOptions,
  skip?: (event: HeraldEvent) => boolean,
): Promise<ReplayResult> {
  const { connection } = sub;
  let page = first;
  let limit = firstPageLimit(options.pageSize);
  let readEvents = 0;
  let readBytes = 0;
  let sent = 0;
  const stopped = { complete: false, sent: 0 };
  for (;;) {
    let used = 0;
    let bytes = 0;
    for (const event of page) {
      used++;
      if (skip?.(event)) continue;
      const frame = sub.format.encode(event);
      if (frame === null) continue;
      if (!sub.sendReplayed({ event, frame })) return { ...stopped, sent };
      sent++;
      bytes += frame.length;
      if (bytes >= options.pageBytes) break;
    }
    readEvents += used;
    readBytes += bytes;
    // A page shorter than asked for, all of it sent: the log has nothing more.
    const exhausted = used === page.length && page.length < limit;
    // Read on after the last event this page used (sent, or left out).
    const after = used === 0 ? null : page[used - 1]!.id;
    if (!(await socketTook(connection, options))) {
      connection.close('stalled');
      return { ...stopped, sent };
    }
    if (connection.closed) return { ...stopped, sent };
    if (exhausted || after === null) return { complete: true, sent };
    // The log may answer synchronously (SQLite): yield to the event loop between
    // pages so a long replay never holds up other clients, publishes or heartbeats.
    await new Promise((resolve) => setImmediate(resolve));
    if (connection.closed) return { ...stopped, sent };
    limit = nextLimit(options, readEvents, readBytes);
    page = await options.log.readAfter(after, options.filter, limit);
    if (connection.closed) return { ...stopped, sent };
  }
}

/** As many events as fit the byte budget at the average size so far. */
function nextLimit(options: ReplayOptions, events: number, bytes: number): number {
  if (events === 0 || bytes === 0) return firstPageLimit(options.pageSize);
  const average = bytes / events;
  return Math.max(1, Math.min(options.pageSize, Math.ceil(options.pageBytes / average)));
}

/**
 * Flush; true once the socket has taken it, false if the deadline passes first. A
 * write the kernel took whole still asks for 'drain' (the next tick): only bytes
 * left in this process mean the client is not keeping up.
 */
async function socketTook(connection: SseConnection, options: ReplayOptions): Promise<boolean> {
  connection.flush();
  if (connection.closed || !connection.pushedBack) return true;
  if (connection.pendingBytes === 0) {
    await connection.flushAndWait();
    return true;
  }
  const left = options.deadlineAt - options.clock.now();
  if (left <= 0) return false;
  let timer: unknown = null;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = options.clock.setTimeout(() => resolve(false), left);
  });
  try {
    return await Promise.race([connection.flushAndWait().then(() => true), timedOut]);
  } finally {
    options.clock.clearTimeout(timer);
  }
}
