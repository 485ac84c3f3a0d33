// POST /topics/:topic, GET /topics, GET /health and every bad input, against a real
// server: each refusal is a JSON `{error, code}` with the right status, and the
// server keeps serving afterwards.

import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { TopicFilter } from '../server/protocol/topics.ts';
import { openRawStream, rawRequest, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}

function post(path: string, body: string | Buffer, headers: Record<string, string | number> = {}) {
  return rawRequest(`${server!.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body });
}

describe('publishing a message', () => {
  it('turns a text body and its headers into a notify event and answers 201 {id, topic}', async () => {
    await start();
    const stream = await openRawStream(`${server!.url}/events?topics=backups/nightly`);
    const answer = await post('/topics/backups/nightly', 'Backup finished', {
      Title: 'Backups',
      Priority: 'high',
      Tags: 'disk, ok ,',
      Click: 'https://example.com/run/1',
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: expect.stringMatching(/^\d+$/), topic: 'backups/nightly' });
    const [message] = await stream.waitFor(1);
    stream.close();
    expect(message!.id).toBe(answer.body.id);
    expect(message!.event).toBe('notify');
    expect(JSON.parse(message!.data)).toEqual({
      topic: 'backups/nightly',
      time: expect.any(Number),
      body: 'Backup finished',
      title: 'Backups',
      priority: 4,
      tags: ['disk', 'ok'],
      click: 'https://example.com/run/1',
    });
  });

  it('decodes a UTF-8 title sent as raw header bytes, as curl sends it', async () => {
    await start();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server!.server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      const head = 'POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nTitle: ';
      socket.write(Buffer.concat([Buffer.from(head), Buffer.from('Café ✓', 'utf8'), Buffer.from('\r\n\r\nx')]));
    });
    expect(reply).toMatch(/^HTTP\/1.1 201/);
    const state = await server!.server.log.readAfter(null, TopicFilter.parse('a'), 1);
    expect(state[0]!.type === 'notify' && state[0]!.data.title).toBe('Café ✓');
  });

  it('takes JSON messages with named priorities and tag arrays', async () => {
    await start();
    const answer = await post('/topics/a', JSON.stringify({ title: 'T', body: 'B', priority: 'urgent', tags: ['x'] }), {
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(answer.status).toBe(201);
    const state = await server!.server.log.topic('a');
    expect(state).toMatchObject({ lastId: answer.body.id, lastType: 'notify', ended: false });
  });

  it('publishes a status as an update only when it changed, answering 200 changed:false otherwise', async () => {
    await start();
    const json = { 'Content-Type': 'application/json' };
    const first = await post('/topics/ci/main', JSON.stringify({ status: { state: 'running', step: 1 } }), json);
    expect(first.status).toBe(201);
    const same = await post('/topics/ci/main', JSON.stringify({ status: { step: 1, state: 'running' } }), json);
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ id: first.body.id, topic: 'ci/main', changed: false });
    const next = await post('/topics/ci/main', JSON.stringify({ event: 'update', status: { state: 'running', step: 2 } }), json);
    expect(next.status).toBe(201);
    const topics = await rawRequest(`${server!.url}/topics`);
    expect(topics.body).toEqual([
      expect.objectContaining({ topic: 'ci/main', lastId: next.body.id, status: { state: 'running', step: 2 }, ended: false, subscribers: 0 }),
    ]);
    const events = await server!.server.log.readAfter(null, TopicFilter.parse('ci/main'), 10);
    expect(events.map((e) => e.type === 'update' && e.data.changed)).toEqual([['state', 'step'], ['step']]);
  });

  it('drops concurrent equal updates but the first', async () => {
    await start();
    const body = JSON.stringify({ status: { up: true } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/topics/probe', body, { 'Content-Type': 'application/json' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
  });

  it('takes alert and end events chosen with "event", as herald run sends them', async () => {
    await start();
    const json = { 'Content-Type': 'application/json' };
    const alert = await post('/topics/sys/cpu', JSON.stringify({ event: 'alert', level: 'warn', message: 'CPU 91%', metric: 'cpu', value: 91 }), json);
    expect(alert.status).toBe(201);
    const ended = await post('/topics/job/x/1', JSON.stringify({ event: 'end', state: 'failed', exitCode: 2, durationMs: 1500, summary: 'exit 2' }), json);
    expect(ended.status).toBe(201);
    const topics = (await rawRequest(`${server!.url}/topics`)).body as Array<{ topic: string; level: string | null; ended: boolean }>;
    expect(topics.find((t) => t.topic === 'sys/cpu')).toMatchObject({ level: 'warn', ended: false });
    expect(topics.find((t) => t.topic === 'job/x/1')).toMatchObject({ ended: true, lastType: 'end' });
  });

  it('reports version, uptime, subscribers and store on /health without a token', async () => {
    await start({ token: 'secret' });
    const health = await rawRequest(`${server!.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, name: 'herald', version: expect.any(String), protocol: 1, subscribers: 0, store: 'sqlite' });
    expect(health.body.uptimeSec).toBeGreaterThanOrEqual(0);
  });
});

describe('bad input', () => {
  const json = { 'Content-Type': 'application/json' };

  it.each([
    ['bad JSON', '/topics/a', '{"body": ', json, 400, 'bad_json', /invalid JSON/],
    ['a JSON array', '/topics/a', '[1]', json, 400, 'bad_json', /expected a JSON object, got an array/],
    ['a bad topic', '/topics/a%20b', 'x', {}, 400, 'bad_topic', /\[A-Za-z0-9_.-\] segments/],
    ['a dot-dot topic', '/topics/a/../b', 'x', {}, 400, 'bad_topic', /segments/],
    ['an empty text body', '/topics/a', '  ', {}, 400, 'bad_request', /empty body/],
    ['a bad priority', '/topics/a', 'x', { Priority: '9' }, 400, 'bad_request', /priority of 1 to 5.*"9"/],
    ['a non-http click', '/topics/a', 'x', { Click: 'javascript:alert(1)' }, 400, 'bad_request', /http or https URL/],
    ['a status that is not an object', '/topics/a', '{"status": 3}', json, 400, 'bad_request', /"status" to be an object, got 3/],
    ['an unknown field', '/topics/a', '{"body": "x", "colour": "red"}', json, 400, 'bad_request', /unknown field "colour"/],
    ['an unknown event type', '/topics/a', '{"event": "explode"}', json, 400, 'bad_request', /event type.*"explode"/],
    ['a published gap', '/topics/a', '{"event": "gap"}', json, 400, 'bad_request', /made by the server/],
    ['an alert without a level', '/topics/a', '{"event": "alert", "message": "m"}', json, 400, 'bad_request', /"level" to be one of ok, warn, critical/],
    ['an end with a bad state', '/topics/a', '{"event":"end","state":"meh","exitCode":0,"durationMs":1,"summary":""}', json, 400, 'bad_request', /"state"/],
    ['a wrong content type', '/topics/a', 'x=1', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type', /text\/plain or application\/json, got application\/x-www-form-urlencoded/],
  ])('refuses %s', async (_name, path, body, headers, status, code, message) => {
    await start();
    const answer = await post(path, body, headers);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ error: expect.stringMatching(message), code });
    expect(await server!.server.log.lastId()).toBeNull();
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    await start();
    const missing = await rawRequest(`${server!.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    const wrong = await rawRequest(`${server!.url}/events?topics=a`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect(wrong.body.code).toBe('method_not_allowed');
  });

  it('answers 413 for a body over the limit, declared or streamed, without reading it all', async () => {
    await start({ maxBodyBytes: 100 });
    const declared = await post('/topics/a', 'x'.repeat(101));
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ error: expect.stringMatching(/at most 100 bytes, got 101 bytes/), code: 'too_large' });
    // Chunked, with no length: the server stops once past the limit and answers.
    const chunked = await new Promise<string>((resolve, reject) => {
      const socket = connect(server!.server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      socket.write('POST /topics/a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(`c8\r\n${'y'.repeat(200)}\r\n`);
      // The rest of the body is never sent: the answer must come anyway.
    });
    expect(chunked).toMatch(/^HTTP\/1.1 413/);
    expect(chunked).toContain('"code":"too_large"');
    expect(await server!.server.log.lastId()).toBeNull();
    expect((await post('/topics/a', 'fits')).status).toBe(201);
  });

  it('limits non-loopback-style publishers with 429 and Retry-After', async () => {
    let now = 1_000_000;
    const clock = { now: () => now, setTimeout, clearTimeout, setInterval, clearInterval } as never;
    await start({ rateLimit: { perSec: 1, burst: 2, includeLoopback: true }, clock });
    expect((await post('/topics/a', '1')).status).toBe(201);
    expect((await post('/topics/a', '2')).status).toBe(201);
    const limited = await post('/topics/a', '3');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body.code).toBe('rate_limited');
    now += 1000;
    expect((await post('/topics/a', '4')).status).toBe(201);
  });

  it('exempts loopback publishers from the rate limit by default', async () => {
    await start({ rateLimit: { perSec: 1, burst: 1 } });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => post('/topics/a', String(i))));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
  });

  it('survives a garbage request line and keeps serving', async () => {
    await start();
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(server!.server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect((await rawRequest(`${server!.url}/health`)).status).toBe(200);
  });
});

describe('token', () => {
  it('requires the bearer token (or a dashboard session) to publish and subscribe', async () => {
    await start({ token: 's3cret' });
    const none = await post('/topics/a', 'x');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: expect.stringMatching(/Authorization: Bearer/), code: 'unauthorized' });
    const wrong = await post('/topics/a', 'x', { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('s3cret');
    expect((await post('/topics/a', 'x', { Authorization: 'Bearer s3cret' })).status).toBe(201);
    // The token in a cookie (what the dashboard once set) is not a credential: any server on the host receives it.
    expect((await post('/topics/a', 'y', { Cookie: 'theme=dark; herald_token=s3cret' })).status).toBe(401);
    expect((await post('/topics/a', 'y', { Authorization: 'Bearer s3cret' })).status).toBe(201);
    const subscribeWithout = await rawRequest(`${server!.url}/events?topics=a`);
    expect(subscribeWithout.status).toBe(401);
    expect((await rawRequest(`${server!.url}/topics`)).status).toBe(401);
    const stream = await openRawStream(`${server!.url}/events?topics=a&since=all`, { Authorization: 'Bearer s3cret' });
    expect(stream.status).toBe(200);
    await stream.waitFor(2);
    stream.close();
    await waitUntil(() => server!.server.hub.size === 0, () => 'expected the stream to be cleaned up');
  });

  it('refuses to listen on a non-loopback address without a token, saying why', async () => {
    const { createHeraldServer } = await import('../server/app.ts');
    await expect(createHeraldServer({ host: '0.0.0.0', port: 0, dataDir: '/nonexistent' })).rejects.toThrow(
      /refusing to listen on 0.0.0.0 without a token.*--token/,
    );
  });
});
