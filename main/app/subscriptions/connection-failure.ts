// What a refused or broken connection means, and whether to try again, for every
// kind of stream the desktop follows (each names itself through StreamWords).
// Retrying something that cannot work (a wrong token, a wrong URL, not a stream) only
// hammers the server, so those fail with a reason that says what to fix; overload
// and network trouble are retried with backoff.

import type { RefusedAnswer } from './observed-fetch.ts';

export type FailureVerdict =
  /** The server said every topic asked for has ended (HTTP 204, the spec's "stop reconnecting"). */
  | { kind: 'ended' }
  | { kind: 'retry'; reason: string; floorMs: number }
  /** The server does not know our resume id (its log was reset or replaced): start again from now. */
  | { kind: 'forget-resume'; reason: string }
  | { kind: 'fail'; reason: string };

function withServerText(base: string, answer: RefusedAnswer): string {
  return answer.message ? `${base}: ${answer.message}` : base;
}

/** How a kind of stream is named in the reasons (Herald's, an ntfy server's, a plain SSE URL's). */
export interface StreamWords {
  /** `no <stream> at <url> (HTTP 404)` */
  stream: string;
  /** `<url> answered text/html, not <expected>.` */
  expected: string;
  /** `Is this <server>?` */
  server: string;
  /** What a 401/403 refused (`token`, `credentials`), and what to set then. */
  secret: string;
  credentials: string;
}

export const HERALD_STREAM_WORDS: StreamWords = {
  stream: 'Herald event stream',
  expected: 'text/event-stream',
  server: 'a Herald server',
  secret: 'token',
  credentials: "Set the server's token (herald watch --token, or the server's settings)",
};

/** A refused answer (anything but a 200 of the stream's content type). */
export function judgeRefusal(answer: RefusedAnswer, eventsUrl: string, words: StreamWords = HERALD_STREAM_WORDS): FailureVerdict {
  const { status } = answer;
  if (status === 204) return { kind: 'ended' };
  if (status === 401 || status === 403) {
    return { kind: 'fail', reason: withServerText(`the server refused the ${words.secret} (HTTP ${status})`, answer) + `. ${words.credentials}` };
  }
  if (status === 404) {
    return { kind: 'fail', reason: `no ${words.stream} at ${eventsUrl} (HTTP 404). Check the server URL` };
  }
  if (status === 200) {
    const type = answer.contentType || 'no content type';
    return { kind: 'fail', reason: `${eventsUrl} answered ${type}, not ${words.expected}. Is this ${words.server}?` };
  }
  if (status === 400 && answer.code === 'bad_id') {
    return { kind: 'forget-resume', reason: withServerText('the server does not know the last event id we saw', answer) };
  }
  if (status === 429 || status >= 500) {
    const floorMs = (answer.retryAfterSec ?? 0) * 1000;
    return { kind: 'retry', reason: withServerText(`the server is unavailable (HTTP ${status})`, answer), floorMs };
  }
  return { kind: 'fail', reason: withServerText(`the server refused the subscription (HTTP ${status})`, answer) };
}

/** A network error or a stream that stopped: always worth retrying. */
export function judgeBrokenStream(message: string | undefined): FailureVerdict {
  // undici wraps every network error as "TypeError: fetch failed: <cause>"; the cause is what helps.
  const cause = message?.replace(/^TypeError: (fetch failed:?\s*)?/, '');
  const reason = cause ? `connection lost: ${cause}` : 'the server closed the stream';
  return { kind: 'retry', reason, floorMs: 0 };
}
