// The `fetch` handed to EventSource (eventsource v5's `fetch` option). It adds the
// bearer token and the resume id, and lets the connection see what EventSource
// keeps to itself:
// - every body chunk (the heartbeat watchdog counts bytes, comments included);
// - the `retry:` field (the floor of our own backoff; EventSource keeps it private);
// - the server's heartbeat interval (`Herald-Heartbeat-Ms`), for the watchdog;
// - why a request was refused: status, content type, Retry-After and the server's
//   JSON `{error}` text, read from a non-stream answer before EventSource discards it.

import { createParser } from 'eventsource-parser';
import type { FetchLike, FetchLikeResponse } from 'eventsource';

export interface RefusedAnswer {
  status: number;
  contentType: string;
  /** The server's explanation (`{error}` of a Herald error body, else the start of the text). */
  message: string;
  /** The `code` of a Herald error body (`unauthorized`, `bad_id`...), or null. */
  code: string | null;
  /** Seconds, from a Retry-After header. */
  retryAfterSec: number | null;
}

export interface FetchObserver {
  /** Token for `Authorization: Bearer`; empty for none. */
  token: string;
  /** The id to resume from (`Last-Event-ID`), read at each request. */
  lastEventId(): string | null;
  bytes(chunk: Uint8Array): void;
  retry(ms: number): void;
  /** The server's heartbeat interval in ms, when it says (0: it sends none). */
  heartbeat(ms: number): void;
  refused(answer: RefusedAnswer): void;
}

const EVENT_STREAM = /^[\t\n\r ]*text\/event-stream[\t\n\r ]*(?:;|$)/i;
const MAX_ERROR_TEXT = 4096;

async function readExplanation(response: Response): Promise<{ message: string; code: string | null }> {
  let text = '';
  try {
    text = (await response.text()).slice(0, MAX_ERROR_TEXT);
  } catch {
    return { message: '', code: null };
  }
  try {
    const parsed = JSON.parse(text) as { error?: unknown; code?: unknown };
    if (typeof parsed.error === 'string') return { message: parsed.error, code: typeof parsed.code === 'string' ? parsed.code : null };
  } catch {
    // Not JSON: show the start of the text.
  }
  return { message: text.replace(/\s+/g, ' ').trim().slice(0, 200), code: null };
}

function retryAfterSeconds(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** What a refused answer says (its body is read: call this only for answers that are not the stream). */
export async function refusedAnswerOf(response: Response): Promise<RefusedAnswer> {
  const explanation = response.status === 204 ? { message: '', code: null } : await readExplanation(response);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    ...explanation,
    retryAfterSec: retryAfterSeconds(response.headers.get('retry-after')),
  };
}

/** `text/event-stream`, parameters allowed. */
export function isEventStream(contentType: string): boolean {
  return EVENT_STREAM.test(contentType);
}

export function createObservedFetch(baseFetch: typeof fetch, observer: FetchObserver): FetchLike {
  return async (url, init) => {
    const headers: Record<string, string> = { ...init.headers };
    if (observer.token) headers.Authorization = `Bearer ${observer.token}`;
    const lastId = observer.lastEventId();
    if (lastId !== null) headers['Last-Event-ID'] = lastId;

    const response = await baseFetch(url, { ...init, headers });
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !isEventStream(contentType) || !response.body) {
      observer.refused(await refusedAnswerOf(response));
      // EventSource fails the connection on the status or content type it sees here.
      return { body: null, url: response.url, status: response.status, redirected: response.redirected, headers: response.headers };
    }

    const heartbeatMs = Number(response.headers.get('herald-heartbeat-ms') ?? Number.NaN);
    if (Number.isInteger(heartbeatMs) && heartbeatMs >= 0) observer.heartbeat(heartbeatMs);
    const retryParser = createParser({ onRetry: (ms) => observer.retry(ms) });
    const decoder = new TextDecoder();
    const observed = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          observer.bytes(chunk);
          retryParser.feed(decoder.decode(chunk, { stream: true }));
          controller.enqueue(chunk);
        },
      }),
    );
    const answer: FetchLikeResponse = {
      body: observed,
      url: response.url,
      status: response.status,
      redirected: response.redirected,
      headers: response.headers,
    };
    return answer;
  };
}
