// What each refused answer and broken stream means for a subscription: stop because
// every topic ended, fail with what to fix, retry (no sooner than the server asks), or
// forget a resume id the server does not know.

import { describe, expect, it } from 'vitest';
import { judgeBrokenStream, judgeRefusal } from './connection-failure.ts';
import type { RefusedAnswer } from './observed-fetch.ts';

const URL = 'http://127.0.0.1:8080/events?topics=a';

function answer(status: number, extra: Partial<RefusedAnswer> = {}): RefusedAnswer {
  return { status, contentType: 'application/json', message: '', code: null, retryAfterSec: null, ...extra };
}

describe('judgeRefusal', () => {
  it('takes 204 as the end of every topic', () => {
    expect(judgeRefusal(answer(204), URL)).toEqual({ kind: 'ended' });
  });

  it('fails on 401 and 403 saying to set the token, with the server text when there is one', () => {
    expect(judgeRefusal(answer(401, { message: 'wrong token' }), URL)).toEqual({
      kind: 'fail',
      reason: "the server refused the token (HTTP 401): wrong token. Set the server's token (herald watch --token, or the server's settings)",
    });
    expect(judgeRefusal(answer(403), URL)).toEqual({
      kind: 'fail',
      reason: "the server refused the token (HTTP 403). Set the server's token (herald watch --token, or the server's settings)",
    });
  });

  it('fails on 404 and on a 200 that is not an event stream, naming the URL', () => {
    expect(judgeRefusal(answer(404), URL)).toEqual({ kind: 'fail', reason: `no Herald event stream at ${URL} (HTTP 404). Check the server URL` });
    expect(judgeRefusal(answer(200, { contentType: 'text/html' }), URL)).toEqual({
      kind: 'fail',
      reason: `${URL} answered text/html, not text/event-stream. Is this a Herald server?`,
    });
    expect(judgeRefusal(answer(200, { contentType: '' }), URL)).toEqual({
      kind: 'fail',
      reason: `${URL} answered no content type, not text/event-stream. Is this a Herald server?`,
    });
  });

  it('forgets the resume id only on a 400 bad_id', () => {
    expect(judgeRefusal(answer(400, { code: 'bad_id', message: 'expected an event id' }), URL)).toEqual({
      kind: 'forget-resume',
      reason: 'the server does not know the last event id we saw: expected an event id',
    });
    expect(judgeRefusal(answer(400, { code: 'bad_topic', message: 'bad pattern' }), URL)).toEqual({
      kind: 'fail',
      reason: 'the server refused the subscription (HTTP 400): bad pattern',
    });
    expect(judgeRefusal(answer(503, { code: 'bad_id' }), URL).kind).toBe('retry');
  });

  it('retries 429 and every 5xx no sooner than their Retry-After', () => {
    expect(judgeRefusal(answer(429, { retryAfterSec: 7, message: 'slow down' }), URL)).toEqual({
      kind: 'retry',
      reason: 'the server is unavailable (HTTP 429): slow down',
      floorMs: 7000,
    });
    expect(judgeRefusal(answer(500), URL)).toEqual({ kind: 'retry', reason: 'the server is unavailable (HTTP 500)', floorMs: 0 });
    expect(judgeRefusal(answer(503, { retryAfterSec: 0.5 }), URL)).toMatchObject({ kind: 'retry', floorMs: 500 });
  });

  it('fails on any other status', () => {
    expect(judgeRefusal(answer(418), URL)).toEqual({ kind: 'fail', reason: 'the server refused the subscription (HTTP 418)' });
    expect(judgeRefusal(answer(499), URL).kind).toBe('fail');
  });
});

describe('judgeBrokenStream', () => {
  it("retries at once, naming the network error without undici's wrapper", () => {
    expect(judgeBrokenStream('TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9')).toEqual({
      kind: 'retry',
      reason: 'connection lost: connect ECONNREFUSED 127.0.0.1:9',
      floorMs: 0,
    });
    const reason = (message: string) => (judgeBrokenStream(message) as { reason: string }).reason;
    expect(reason('TypeError: fetch failed:\n   other side closed')).toBe('connection lost: other side closed');
    expect(reason('TypeError: terminated')).toBe('connection lost: terminated');
    expect(reason('socket hang up (TypeError: x)')).toBe('connection lost: socket hang up (TypeError: x)');
  });

  it('says the server closed the stream when there is no cause to name', () => {
    for (const message of [undefined, '', 'TypeError: ', 'TypeError: fetch failed', 'TypeError: fetch failed: ']) {
      expect(judgeBrokenStream(message), JSON.stringify(message)).toEqual({ kind: 'retry', reason: 'the server closed the stream', floorMs: 0 });
    }
  });
});
