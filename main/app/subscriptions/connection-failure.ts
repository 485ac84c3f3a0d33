// What a refused or broken connection means, and whether to try again. Retrying
// something that cannot work (a wrong token, a wrong URL, not an SSE endpoint) only
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

/** A refused answer (anything but a 200 `text/event-stream`). */
export function judgeRefusal(answer: RefusedAnswer, eventsUrl: string): FailureVerdict {
  const { status } = answer;
  if (status === 204) return { kind: 'ended' };
  if (status === 401 || status === 403) {
    return {
      kind: 'fail',
      reason: withServerText(`the server refused the token (HTTP ${status})`, answer) + '. Set the server\'s token (herald watch --token, or the server\'s settings)',
    };
  }
  if (status === 404) {
    return { kind: 'fail', reason: `no Herald event stream at ${eventsUrl} (HTTP 404). Check the server URL` };
  }
  if (status === 200) {
    const type = answer.contentType || 'no content type';
    return { kind: 'fail', reason: `${eventsUrl} answered ${type}, not text/event-stream. Is this a Herald server?` };
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
