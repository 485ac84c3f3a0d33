// The fetch EventSource is given, against tiny node:http servers with the real fetch:
// the headers it adds, what it reads from a refused answer before EventSource drops
// it, and what it sees of a stream (every chunk, `retry:`, the heartbeat interval).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test/support/herald-test-server.ts';
import { createObservedFetch, type RefusedAnswer } from './observed-fetch.ts';
import { runCleanups, tinyServer } from '../../../test/support/subscription-watch.ts';

afterEach(runCleanups);

interface Seen {
  refused: RefusedAnswer[];
  retries: number[];
  heartbeats: number[];
  chunks: number;
}

async function fetchOnce(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { token?: string; lastEventId?: string | null; headers?: Record<string, string> } = {},
): Promise<{ seen: Seen; request: IncomingMessage; status: number; body: unknown; read(): Promise<string> }> {
  const server = await tinyServer((req, res) => handler(req, res));
  const seen: Seen = { refused: [], retries: [], heartbeats: [], chunks: 0 };
  const observed = createObservedFetch(fetch, {
    token: options.token ?? '',
    lastEventId: () => options.lastEventId ?? null,
    bytes: () => void seen.chunks++,
    retry: (ms) => void seen.retries.push(ms),
    heartbeat: (ms) => void seen.heartbeats.push(ms),
    refused: (answer) => void seen.refused.push(answer),
  });
  const controller = new AbortController();
  const response = await observed(`${server.url}/events`, {
    signal: controller.signal,
    headers: { Accept: 'text/event-stream', ...options.headers },
    mode: 'cors',
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'follow',
  } as never);
  return {
    seen,
    request: server.requests[0]!,
    status: response.status,
    body: response.body,
    async read() {
      let text = '';
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

const stream = (res: ServerResponse, headers: Record<string, string> = {}) =>
  res.writeHead(200, { 'Content-Type': 'text/event-stream', ...headers });

describe('the request', () => {
  it('adds the bearer token and the resume id to the headers EventSource sends', async () => {
    const { request } = await fetchOnce((_req, res) => stream(res).end(), { token: 's3cret', lastEventId: '42', headers: { 'X-Extra': '1' } });
    expect(request.headers.authorization).toBe('Bearer s3cret');
    expect(request.headers['last-event-id']).toBe('42');
    expect(request.headers.accept).toBe('text/event-stream');
    expect(request.headers['x-extra']).toBe('1');
  });

  it('sends neither without a token or a resume id', async () => {
    const { request } = await fetchOnce((_req, res) => stream(res).end());
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['last-event-id']).toBeUndefined();
  });
});

describe('a refused answer', () => {
  it("reads a Herald error body's text and code, and Retry-After", async () => {
    const { seen, status, body } = await fetchOnce((_req, res) =>
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '7' }).end('{"error":"busy","code":"unavailable"}'),
    );
    expect(seen.refused).toEqual([{ status: 503, contentType: 'application/json', message: 'busy', code: 'unavailable', retryAfterSec: 7 }]);
    expect([status, body]).toEqual([503, null]);
  });

  it('takes a JSON body without a string error as text, and a code that is not a string as none', async () => {
    const plain = await fetchOnce((_req, res) => res.writeHead(500).end('  {"message":\n\n"nope"}  '));
    expect(plain.seen.refused[0]).toMatchObject({ message: '{"message": "nope"}', code: null });
    const oddCode = await fetchOnce((_req, res) => res.writeHead(500).end('{"error":"broken","code":7}'));
    expect(oddCode.seen.refused[0]).toMatchObject({ message: 'broken', code: null });
  });

  it('shows at most 200 characters of a text body, with runs of white space as one space', async () => {
    const { seen } = await fetchOnce((_req, res) => res.writeHead(502).end(`<html>\n  <body>${'x'.repeat(300)}</body>`));
    expect(seen.refused[0]!.message).toBe(`<html> <body>${'x'.repeat(187)}`);
  });

  it('reads at most 4 KiB of the body, so a longer JSON error shows as its start', async () => {
    const long = JSON.stringify({ error: 'e'.repeat(5000), code: 'internal' });
    const { seen } = await fetchOnce((_req, res) => res.writeHead(500).end(long));
    expect(seen.refused[0]).toMatchObject({ message: long.slice(0, 200), code: null });
  });

  it('reads no body from a 204, and gives no explanation for a body that breaks off', async () => {
    const ended = await fetchOnce((_req, res) => res.writeHead(204).end());
    expect(ended.seen.refused).toEqual([{ status: 204, contentType: '', message: '', code: null, retryAfterSec: null }]);
    const broken = await fetchOnce((_req, res) => {
      res.writeHead(500, { 'Content-Length': '1000' });
      res.write('{"error":"cut');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect(broken.seen.refused[0]).toMatchObject({ status: 500, message: '', code: null });
  });

  it('keeps a Retry-After of whole or fractional seconds, and ignores one that is not a number of seconds', async () => {
    const retryAfter = async (value: string) =>
      (await fetchOnce((_req, res) => res.writeHead(429, { 'Retry-After': value }).end())).seen.refused[0]!.retryAfterSec;
    expect(await retryAfter('0')).toBe(0);
    expect(await retryAfter('2.5')).toBe(2.5);
    expect(await retryAfter('-1')).toBeNull();
    expect(await retryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeNull();
  });

  it('refuses a 200 whose type is not text/event-stream, even one that names it further along', async () => {
    for (const type of ['text/html', 'text/event-streamx', 'x-text/event-stream', 'application/json; text/event-stream']) {
      const { seen, body } = await fetchOnce((_req, res) => res.writeHead(200, { 'Content-Type': type }).end('x'));
      expect(seen.refused.map((r) => r.contentType), type).toEqual([type]);
      expect(body).toBeNull();
    }
  });

  it('refuses a stream answered with another status than 200', async () => {
    const { seen, body } = await fetchOnce((_req, res) => res.writeHead(500, { 'Content-Type': 'text/event-stream' }).end('data: x\n\n'));
    expect(seen.refused).toEqual([{ status: 500, contentType: 'text/event-stream', message: 'data: x', code: null, retryAfterSec: null }]);
    expect(body).toBeNull();
  });
});

describe('a stream', () => {
  it('accepts text/event-stream in any case, with parameters', async () => {
    for (const type of ['text/event-stream', 'Text/Event-Stream; charset=utf-8']) {
      const { seen, body } = await fetchOnce((_req, res) => res.writeHead(200, { 'Content-Type': type }).end(': hi\n\n'));
      expect(seen.refused, type).toEqual([]);
      expect(body).not.toBeNull();
    }
  });

  it('reports every chunk and each retry: field, passing the bytes through unchanged', async () => {
    let response: ServerResponse | undefined;
    const result = await fetchOnce((_req, res) => {
      stream(res).write('retry: 15');
      response = res;
    });
    const text = result.read();
    await waitUntil(() => result.seen.chunks === 1, () => `chunks: ${result.seen.chunks}`);
    response!.write('00\n\ndata: é\n\n');
    await waitUntil(() => result.seen.chunks === 2, () => `chunks: ${result.seen.chunks}`);
    response!.end('retry: 250\n\n');
    expect(await text).toBe('retry: 1500\n\ndata: é\n\nretry: 250\n\n');
    expect(result.seen.retries).toEqual([1500, 250]);
    expect(result.seen.chunks).toBe(3);
  });

  it('reports the heartbeat interval the server announces, 0 included, and ignores one that is not a whole number', async () => {
    const heartbeat = async (value?: string) =>
      (await fetchOnce((_req, res) => stream(res, value === undefined ? {} : { 'Herald-Heartbeat-Ms': value }).end())).seen.heartbeats;
    expect(await heartbeat('15000')).toEqual([15000]);
    expect(await heartbeat('0')).toEqual([0]);
    expect(await heartbeat('-5')).toEqual([]);
    expect(await heartbeat('1.5')).toEqual([]);
    expect(await heartbeat('soon')).toEqual([]);
    expect(await heartbeat()).toEqual([]);
  });
});
