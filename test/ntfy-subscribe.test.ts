// Subscribing through the ntfy-compatible API on a real server: /json, /sse (read
// raw and with the real `eventsource` client, through a server restart), /raw,
// since= in every form, poll=1, the open and keepalive messages, ntfy's filters, and
// the hub's guarantees: replay then live with nothing lost or repeated, a stalled
// reader dropped without holding anyone up, the open-stream limits shared with
// GET /events. The expected shapes come from ntfy's docs (test/fixtures/ntfy/).

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { EventSource } from 'eventsource';
import { createHeraldServer, type HeraldServer } from '../server/app.ts';
import type { HeraldServerOptions } from '../server/plugin.ts';
import type { NewEvent } from '../server/protocol/events.ts';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { openRawStream, rawRequest, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';
import { curl, openLineStream, type LineStream } from './support/ntfy-client.ts';
import { ManualClock } from './support/manual-clock.ts';

let server: TestServer | undefined;
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server?.close();
  server = undefined;
});

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ plugins: [ntfyPlugin()], ...options });
  return server;
}

async function stream(path: string, headers: Record<string, string> = {}): Promise<LineStream> {
  const s = await openLineStream(`${server!.url}${path}`, headers);
  cleanups.push(() => s.close());
  return s;
}

/** Publish through the ntfy API; the answer (ntfy's message JSON). */
async function publish(topic: string, message: string, headers: Record<string, string> = {}): Promise<any> {
  const answer = await rawRequest(`${server!.url}/${topic}`, { method: 'POST', body: message, headers });
  expect(answer.status).toBe(200);
  return answer.body;
}

async function poll(path: string): Promise<any[]> {
  const s = await stream(path);
  await s.ended;
  return s.json();
}

const bodies = (messages: any[]) => messages.map((m) => m.message);

describe('GET /<topic>/json', () => {
  it('sends open, then each message exactly as the publish answered it, then keepalives', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock, heartbeatMs: 15_000 });
    const s = await stream('/alerts/json');
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    await waitUntil(() => s.lines.length === 1, () => 'no open line');
    const open = JSON.parse(s.lines[0]!);
    expect(open).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9]{12}$/), time: Date.UTC(2026, 0, 1) / 1000, event: 'open', topic: 'alerts' });
    expect(Object.keys(open)).toEqual(['id', 'time', 'event', 'topic']);

    const answer = await publish('alerts', 'Disk full', { Title: 'nas', Tags: 'warning' });
    await s.waitForMessages(1);
    expect(s.lines[1]).toBe(JSON.stringify(answer));

    clock.advance(15_000);
    await waitUntil(() => s.lines.length === 3, () => `no keepalive: ${s.lines.join('|')}`);
    expect(JSON.parse(s.lines[2]!)).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9]{12}$/), time: Date.UTC(2026, 0, 1) / 1000 + 15, event: 'keepalive', topic: 'alerts' });
  });

  it('carries several topics on one connection, naming them all in open', async () => {
    await start();
    const s = await stream('/mytopic1,mytopic2/json');
    await waitUntil(() => s.lines.length === 1, () => 'no open line');
    expect(JSON.parse(s.lines[0]!)).toMatchObject({ event: 'open', topic: 'mytopic1,mytopic2' });
    await publish('mytopic1', 'for topic 1');
    await publish('mytopic3', 'for topic 3');
    await publish('mytopic2', 'for topic 2');
    const messages = await s.waitForMessages(2);
    expect(messages.map((m) => [m.topic, m.message])).toEqual([['mytopic1', 'for topic 1'], ['mytopic2', 'for topic 2']]);
  });

  it('shows alerts as messages and leaves out status updates', async () => {
    await start();
    const s = await stream('/system/json');
    await waitUntil(() => s.lines.length === 1, () => 'no open line');
    const { publisher } = server!.server;
    await publisher.publish({ type: 'update', data: { topic: 'system', time: Date.now(), status: { cpu: 97 } } });
    await publisher.publish({ type: 'alert', data: { topic: 'system', time: Date.now(), level: 'critical', message: 'cpu 97%', metric: 'cpu', value: 97 } });
    const [alert] = await s.waitForMessages(1);
    expect(alert).toMatchObject({ event: 'message', topic: 'system', title: 'system: critical', message: 'cpu 97%', priority: 5, tags: ['rotating_light'] });
    expect(s.messages()).toHaveLength(1);
  });

  it("applies ntfy's filters: priority (any of), tags (all of), title, message, id", async () => {
    await start();
    await publish('f', 'low one', { Priority: 'low', Tags: 'zfs-error' });
    const high = await publish('f', 'ZFS pool corruption detected', { Priority: 'high', Tags: 'error,zfs-error', Title: 'zfs' });
    await publish('f', 'urgent one', { Priority: 'urgent', Tags: 'error' });
    expect(bodies(await poll('/f/json?poll=1&priority=high&tags=zfs-error'))).toEqual(['ZFS pool corruption detected']);
    expect(bodies(await poll('/f/json?poll=1&p=4,5'))).toEqual(['ZFS pool corruption detected', 'urgent one']);
    expect(bodies(await poll('/f/json?poll=1&p=default'))).toEqual([]);
    expect(bodies(await poll('/f/json?poll=1&t=zfs'))).toEqual(['ZFS pool corruption detected']);
    expect(bodies(await poll('/f/json?poll=1&m=low+one'))).toEqual(['low one']);
    expect(bodies(await poll(`/f/json?poll=1&id=${high.id}`))).toEqual(['ZFS pool corruption detected']);
    const bad = await rawRequest(`${server!.url}/f/json?poll=1&p=loud`);
    expect(bad.body).toEqual({ error: expect.stringMatching(/expected the priority filter as a comma list of 1 to 5/), code: 'bad_request' });
  });
});

describe('since= and poll=1', () => {
  async function threeMessages(clock: ManualClock): Promise<any[]> {
    const out = [];
    for (const text of ['m1', 'm2', 'm3']) {
      out.push(await publish('s', text));
      clock.advance(60_000);
    }
    return out;
  }

  it('replays from all, an id, a Unix time, a duration, latest or none', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock });
    const [m1, m2] = await threeMessages(clock);
    await publish('s2', 'other topic');
    // now: three minutes after m1
    expect(bodies(await poll('/s/json?poll=1'))).toEqual(['m1', 'm2', 'm3']);
    expect(bodies(await poll('/s/json?poll=1&since=all'))).toEqual(['m1', 'm2', 'm3']);
    expect(bodies(await poll(`/s/json?poll=1&since=${m1.id}`))).toEqual(['m2', 'm3']);
    expect(bodies(await poll(`/s/json?poll=1&since=${m2.time}`))).toEqual(['m2', 'm3']);
    expect(bodies(await poll('/s/json?poll=1&since=90s'))).toEqual(['m3']);
    expect(bodies(await poll('/s/json?poll=1&si=2m30s'))).toEqual(['m2', 'm3']);
    expect(bodies(await poll('/s,s2/json?poll=1&since=latest'))).toEqual(['m3', 'other topic']);
    expect(bodies(await poll('/s/json?poll=1&since=none'))).toEqual([]);
    expect(bodies(await poll('/s/json?poll=1', ))).toEqual(['m1', 'm2', 'm3']);
    const viaHeader = await stream('/s/json', { 'X-Poll': '1', 'X-Since': m1.id });
    await viaHeader.ended;
    expect(bodies(viaHeader.json())).toEqual(['m2', 'm3']);
  });

  it('answers an id this server never issued (its data dir was wiped) with everything it holds', async () => {
    await start();
    const [m1] = await threeMessages(new ManualClock());
    expect(m1.id).toMatch(/^h\d+$/);
    expect(bodies(await poll('/s/json?poll=1&since=h900000'))).toEqual(['m1', 'm2', 'm3']);
    const live = await stream('/s/json?since=h900000');
    await publish('s', 'm4');
    expect(bodies(await live.waitForMessages(4))).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('poll=1 sends no open and ends; without it the replay is followed by live messages, none twice', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock });
    const [m1] = await threeMessages(clock);
    const polled = await stream('/s/json?poll=1');
    await polled.ended;
    expect(polled.json().map((m) => m.event)).toEqual(['message', 'message', 'message']);

    const live = await stream(`/s/json?since=${m1.id}`);
    await live.waitForMessages(2);
    await publish('s', 'm4');
    const all = await live.waitForMessages(3);
    expect(live.json()[0].event).toBe('open');
    expect(bodies(all)).toEqual(['m2', 'm3', 'm4']);
    expect(live.isEnded()).toBe(false);
  });

  it('refuses a since= it cannot read, saying what it takes', async () => {
    await start();
    const answer = await rawRequest(`${server!.url}/s/json?since=yesterday`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'expected since= to be all, latest, none, a message id from this server (h…), a Unix time in seconds or a duration such as 10m or 1h30m, got "yesterday"',
      code: 'bad_id',
    });
  });
});

describe('GET /<topic>/raw and /sse', () => {
  it('/raw sends one line per message, newlines flattened, and empty lines for open and keepalive', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock, heartbeatMs: 1000 });
    const s = await stream('/disk-alerts/raw');
    expect(s.headers['content-type']).toBe('text/plain; charset=utf-8');
    await waitUntil(() => s.lines.length === 1, () => 'no open line');
    await publish('disk-alerts', 'Disk full\non /data');
    await waitUntil(() => s.lines.length === 2, () => 'no message line');
    clock.advance(1000);
    await waitUntil(() => s.lines.length === 3, () => 'no keepalive line');
    expect(s.lines).toEqual(['', 'Disk full on /data', '']);
  });

  it("/sse frames as ntfy's (event open and keepalive, data-only messages) with an id on messages", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    await start({ clock, heartbeatMs: 1000 });
    const s = await openRawStream(`${server!.url}/mytopic/sse`);
    cleanups.push(() => s.close());
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await s.waitFor(1);
    const answer = await publish('mytopic', 'Hi!');
    await s.waitFor(2);
    clock.advance(1000);
    const [open, message, keepalive] = await s.waitFor(3);
    expect(open).toMatchObject({ event: 'open', id: undefined });
    expect(JSON.parse(open!.data)).toMatchObject({ event: 'open', topic: 'mytopic' });
    expect(message).toEqual({ event: undefined, id: answer.id, data: JSON.stringify(answer) });
    expect(keepalive).toMatchObject({ event: 'keepalive', id: undefined });
    expect(s.retry).toBeNull();
  });

  it('works with the eventsource client, which resumes after a server restart with nothing lost or repeated', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'herald-ntfy-sse-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const open = (port: number): Promise<HeraldServer> => createHeraldServer({ port, dataDir, plugins: [ntfyPlugin()], onError: () => {} });
    let current = await open(0);
    cleanups.push(() => current.close());
    const { port } = current;
    // curl: a new connection each time (a pooled one would be the closed server's).
    const post = async (text: string) => expect(JSON.parse(await curl(['-d', text, `${current.url}/door`]))).toMatchObject({ message: text });

    const received: Array<{ id: string; message: string }> = [];
    let keepalives = 0;
    let opens = 0;
    const es = new EventSource(`${current.url}/door/sse`);
    cleanups.push(() => es.close());
    es.onmessage = (event) => received.push({ id: event.lastEventId, message: JSON.parse(event.data).message });
    es.addEventListener('keepalive', () => keepalives++);
    es.addEventListener('open', (event) => {
      if ('data' in event) opens++;
    });
    await waitUntil(() => opens === 1, () => 'no open message');
    await post('opened');
    await waitUntil(() => received.length === 1, () => 'no first message');

    await current.close();
    current = await open(port);
    await post('closed while you were away');
    await waitUntil(() => opens === 2, () => 'the client did not reconnect', 15_000);
    await post('locked');
    await waitUntil(() => received.length === 3, () => `got ${JSON.stringify(received)}`);
    expect(received.map((r) => r.message)).toEqual(['opened', 'closed while you were away', 'locked']);
    expect(new Set(received.map((r) => r.id)).size).toBe(3);
    expect(keepalives).toBe(0);
  });
});

describe('limits and guarantees', () => {
  it('drops a stalled /json reader once its queue overflows; the others get everything; since= resumes it without loss', async () => {
    await start({ maxQueueBytes: 64 * 1024, maxBodyBytes: 64 * 1024, retention: { maxEventsPerTopic: 10_000 } });
    const { hub, publisher } = server!.server;
    const stalled: Socket = connect(server!.server.port, '127.0.0.1');
    cleanups.push(() => stalled.destroy());
    stalled.pause();
    stalled.write('GET /load/json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const healthy = await stream('/load/json');
    await waitUntil(() => hub.size === 2, () => `expected 2 subscribers, got ${hub.size}`);

    const big = (i: number): NewEvent => ({ type: 'notify', data: { topic: 'load', time: Date.now(), body: `${i}:${'x'.repeat(30_000)}`, priority: 3, tags: [] } });
    let published = 0;
    for (let round = 0; round < 60 && hub.overflowDrops === 0; round++) {
      await Promise.all(Array.from({ length: 10 }, () => publisher.publish(big(published++))));
      await healthy.waitForMessages(published);
    }
    expect(hub.overflowDrops).toBe(1);
    await waitUntil(() => hub.size === 1, () => `the stalled reader is still subscribed (${hub.size})`);
    expect(healthy.messages().map((m) => Number(m.message.split(':')[0]))).toEqual(Array.from({ length: published }, (_, i) => i));

    // What the stalled reader got before the drop, then a resume from its last id.
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      stalled.setEncoding('latin1');
      stalled.on('data', (d: string) => (text += d));
      stalled.on('close', () => resolve(text));
      stalled.resume();
    });
    const got = dechunk(raw).split('\n').slice(0, -1).map((l) => JSON.parse(l)).filter((m) => m.event === 'message');
    const lastId: string = got.length > 0 ? got[got.length - 1].id : '';
    const rest = await poll(`/load/json?poll=1&since=${lastId || 'all'}`);
    expect([...got, ...rest].map((m) => Number(m.message.split(':')[0]))).toEqual(Array.from({ length: published }, (_, i) => i));
  });

  it('counts its streams against the same open-stream limit as GET /events', async () => {
    await start({ limits: { maxSubscribers: 1 } });
    const herald = await openRawStream(`${server!.url}/events?topics=a`);
    cleanups.push(() => herald.close());
    await waitUntil(() => server!.server.hub.size === 1, () => 'no Herald stream');
    const refused = await rawRequest(`${server!.url}/b/json`);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('unavailable');
    herald.close();
    await waitUntil(() => server!.server.hub.size === 0, () => 'the Herald stream is still open');
    const ntfy = await stream('/b/json');
    expect(ntfy.status).toBe(200);
    await waitUntil(() => server!.server.hub.size === 1, () => 'no ntfy stream');
    expect((await rawRequest(`${server!.url}/events?topics=a`)).status).toBe(503);
  });

  it('answers HEAD with the headers only, /auth with success, /ws with what to use instead, and refuses reserved names', async () => {
    await start({ token: 'tk-sub-1' });
    const auth = { Authorization: 'Bearer tk-sub-1' };
    const head = await rawRequest(`${server!.url}/a/json`, { method: 'HEAD', headers: auth });
    expect([head.status, head.headers['content-type'], server!.server.hub.size]).toEqual([200, 'application/x-ndjson; charset=utf-8', 0]);
    expect((await rawRequest(`${server!.url}/a,b/auth`, { headers: auth })).text).toBe('{"success":true}\n');
    expect((await rawRequest(`${server!.url}/a/auth`)).status).toBe(401);
    expect((await rawRequest(`${server!.url}/a/json`)).body).toEqual({ error: expect.stringMatching(/this server requires a token/), code: 'unauthorized' });
    const ws = await rawRequest(`${server!.url}/a/ws`);
    expect([ws.status, ws.body.error]).toEqual([404, expect.stringMatching(/does not speak ntfy's WebSocket protocol; subscribe with \/<topic>\/json or \/<topic>\/sse/)]);
    const reserved = await rawRequest(`${server!.url}/a,health/json`, { headers: auth });
    expect([reserved.status, reserved.body.error]).toEqual([400, expect.stringMatching(/"health" is reserved/)]);
    const lastEventId = await rawRequest(`${server!.url}/a/sse`, { headers: { ...auth, 'Last-Event-ID': '17' } });
    expect([lastEventId.status, lastEventId.body.error]).toEqual([400, 'expected Last-Event-ID to be a message id from this server (h…), got "17"']);
  });
});

/** The body of a chunked HTTP response cut off anywhere (complete chunks only). */
function dechunk(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let out = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : parseInt(body.slice(at, eol), 16);
    if (!(size > 0) || body.length < eol + 2 + size) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}
