import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeConfig } from '../../config/config-types.ts';
import type { AlertData, UpdateData } from '../../protocol/events.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { RecordingPublisher } from '../../../test/support/recording-publisher.ts';
import { resolvePointer } from './json-pointer.ts';
import { Probe } from './probe.ts';
import { killIfAlive, readPidFile, waitUntilGone } from '../../../test/support/processes.ts';

/** A local HTTP server whose answer the test changes. */
interface Answer {
  status: number;
  body: string;
  delayMs?: number;
  hangUp?: boolean;
}

let server: Server;
let url: string;
let answer: Answer;
let requests: number;
/** Checks started: counted when the probe calls fetch, before any network. */
let fetches: number;
let publisher: RecordingPublisher;
let clock: ManualClock;
let logged: string[];
const probes: Probe[] = [];

beforeEach(async () => {
  answer = { status: 200, body: '{"price":{"usd":100}}' };
  requests = 0;
  fetches = 0;
  server = createServer((req, res) => {
    requests++;
    if (answer.hangUp) {
      req.socket.destroy();
      return;
    }
    setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body), answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  publisher = new RecordingPublisher();
  clock = new ManualClock();
  logged = [];
});

afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function probe(config: ProbeConfig, name = 'site'): Probe {
  const countingFetch: typeof fetch = (input, init) => {
    fetches++;
    return fetch(input, init);
  };
  const created = new Probe(name, config, { publisher, clock, log: (m) => logged.push(m), fetch: countingFetch });
  probes.push(created);
  return created;
}

const updates = (): UpdateData[] => publisher.events.filter((e) => e.type === 'update').map((e) => e.data as UpdateData);
const alerts = (): AlertData[] => publisher.events.filter((e) => e.type === 'alert').map((e) => e.data as AlertData);

describe('http probes', () => {
  it('sends an update only when the value changes, and only past changePct for numbers', async () => {
    const site = probe({ http: url, json: '/price/usd', changePct: 1 });
    await site.check();
    await site.check();
    expect(updates().map((u) => u.status.value)).toEqual([100]);

    answer.body = '{"price":{"usd":100.5}}';
    await site.check();
    expect(updates()).toHaveLength(1);

    answer.body = '{"price":{"usd":"102"}}';
    await site.check();
    answer.body = '{"price":{"usd":"102"}}';
    await site.check();
    expect(updates().map((u) => u.status.value)).toEqual([100, '102']);
    expect(updates()[0]).toMatchObject({ topic: 'probe/site', status: { ok: true, level: 'ok', httpStatus: 200 } });
    expect(requests).toBe(5);
  });

  it('alerts on thresholds with hold time and recovery margin, driven by the clock', async () => {
    const btc = probe({ http: url, json: '/price/usd', above: [110, 120], holdSec: 10, marginPct: 5 }, 'btc');
    const at = async (value: number, seconds: number): Promise<string[]> => {
      answer.body = JSON.stringify({ price: { usd: value } });
      clock.advance(seconds * 1000);
      await btc.check();
      return alerts().map((a) => `${a.previous}->${a.level}`);
    };
    expect(await at(100, 0)).toEqual([]);
    expect(await at(115, 0)).toEqual([]); // past warn: the hold starts
    expect(await at(112, 5)).toEqual([]); // still held, 5 s
    expect(await at(111, 5)).toEqual(['ok->warn']); // held 10 s
    expect(await at(106, 5)).toEqual(['ok->warn']); // inside the 5.5 margin: stays warn
    expect(await at(111, 5)).toEqual(['ok->warn']);
    expect(await at(104, 5)).toEqual(['ok->warn', 'warn->ok']); // below 110 - 5.5
    expect(alerts()[0]).toMatchObject({ topic: 'probe/btc', metric: 'above', value: 111, message: 'btc at 111: at or above the warn line of 110 for 10s' });
    expect(alerts()[1]).toMatchObject({ metric: 'above', value: 104, message: 'btc back to normal at 104' });
    // Every value differs (no changePct), so each check is an update; its level follows the alerts.
    expect(updates().map((u) => `${u.status.value}:${u.status.level}`)).toEqual([
      '100:ok', '115:ok', '112:ok', '111:warn', '106:warn', '111:warn', '104:ok',
    ]);
  });

  it('alerts on latency lines', async () => {
    answer.delayMs = 150;
    const slow = probe({ http: url, latencyMs: [100, 5000] });
    await slow.check();
    expect(alerts()).toMatchObject([{ level: 'warn', metric: 'latencyMs', message: expect.stringMatching(/^site latency at \d+ ms: at or above the warn line of 100 ms$/) }]);
    expect(updates()[0]?.status.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('sends its configured lines with every status (none when it has none)', async () => {
    await probe({ http: url, latencyMs: [100, 5000], above: [1, 2] }).check();
    await probe({ http: url }, 'plain').check();
    expect(updates().map((u) => [u.topic, u.status.thresholds])).toEqual([
      ['probe/site', { latencyMs: [100, 5000], above: [1, 2] }],
      ['probe/plain', undefined],
    ]);
  });

  it('is critical with the reason when the target cannot be reached, and recovers by itself', async () => {
    const site = probe({ http: url, json: '/price/usd' });
    await site.check();
    answer.hangUp = true;
    await site.check();
    await site.check();
    answer.hangUp = false;
    await site.check();
    expect(alerts().map((a) => [a.metric, a.previous, a.level])).toEqual([
      ['reachable', 'ok', 'critical'],
      ['reachable', 'critical', 'ok'],
    ]);
    expect(alerts()[0]?.message).toMatch(new RegExp(`^cannot reach ${url}: `));
    expect(alerts()[1]?.message).toBe('site is back: 100');
    expect(updates().map((u) => [u.status.ok, u.status.level])).toEqual([[true, 'ok'], [false, 'critical'], [true, 'ok']]);
  });

  it('names a refused connection, an unexpected status, a missing JSON value and a timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    await probe({ http: deadUrl }, 'dead').check();
    answer.status = 503;
    await probe({ http: url, expectStatus: 200 }, 'down').check();
    answer.status = 200;
    await probe({ http: url, json: '/price/eur' }, 'nojson').check();
    answer.delayMs = 2000;
    await probe({ http: url, timeoutSec: 0.2 }, 'slow').check();
    expect(alerts().map((a) => `${a.topic} ${a.metric} ${a.level}: ${a.message}`)).toEqual([
      `probe/dead reachable critical: cannot reach ${deadUrl}: connection refused`,
      `probe/down status critical: expected HTTP 200 from ${url}, got 503`,
      'probe/nojson value critical: no value at /price/eur in the JSON body',
      `probe/slow reachable critical: cannot reach ${url}: no answer within 0.2s`,
    ]);
  });

  it('cuts what it quotes of a value or a body between characters, never inside an emoji or before an accent', async () => {
    // 79 letters, then an e with a combining accent at the cut: the description keeps neither half.
    const name = `${'a'.repeat(79)}e\u0301 and the rest`;
    answer.body = JSON.stringify({ name });
    const site = probe({ http: url, json: '/name' });
    await site.check();
    answer.hangUp = true;
    await site.check();
    answer.hangUp = false;
    await site.check();
    expect(alerts()[1]?.message).toBe(`site is back: ${'a'.repeat(79)}…`);
    // Not JSON: 59 letters and an emoji across the 60-character cut.
    answer.body = `${'b'.repeat(59)}🎉 is not JSON`;
    await probe({ http: url, json: '/name' }, 'garbled').check();
    expect(alerts().at(-1)?.message).toBe(`expected a JSON body from ${url}, got "${'b'.repeat(59)}…"`);
  });

  it('sends its configured headers to its own origin only: a redirect to another origin gets none of them', async () => {
    const seen: { where: string; apiKey: string | undefined; authorization: string | undefined; method: string | undefined }[] = [];
    const other = createServer((req, res) => {
      seen.push({ where: `other${req.url}`, apiKey: req.headers['x-api-key'] as string | undefined, authorization: req.headers.authorization, method: req.method });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"up":true}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const first = createServer((req, res) => {
      seen.push({ where: `first${req.url}`, apiKey: req.headers['x-api-key'] as string | undefined, authorization: req.headers.authorization, method: req.method });
      // Same origin first, then a hop to the other port: another origin.
      if (req.url === '/start') res.writeHead(307, { location: '/moved' }).end();
      else res.writeHead(302, { location: `${otherUrl}/landing` }).end();
    });
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const firstUrl = `http://127.0.0.1:${(first.address() as AddressInfo).port}/start`;
    try {
      await probe({ http: firstUrl, json: '/up', headers: { 'X-Api-Key': 'k-123', Authorization: 'Bearer t-456' } }, 'moved').check();
    } finally {
      other.closeAllConnections();
      first.closeAllConnections();
      await Promise.all([new Promise((r) => other.close(r)), new Promise((r) => first.close(r))]);
    }
    expect(seen).toEqual([
      { where: 'first/start', apiKey: 'k-123', authorization: 'Bearer t-456', method: 'GET' },
      { where: 'first/moved', apiKey: 'k-123', authorization: 'Bearer t-456', method: 'GET' },
      { where: 'other/landing', apiKey: undefined, authorization: undefined, method: 'GET' },
    ]);
    expect(updates().map((u) => u.status.value)).toEqual([true]);
  });

  it('gives up after 20 redirects, saying so', async () => {
    const loop = createServer((req, res) => res.writeHead(302, { location: '/again' }).end());
    await new Promise<void>((resolve) => loop.listen(0, '127.0.0.1', resolve));
    const loopUrl = `http://127.0.0.1:${(loop.address() as AddressInfo).port}/`;
    try {
      await probe({ http: loopUrl }, 'loop').check();
    } finally {
      loop.closeAllConnections();
      await new Promise((r) => loop.close(r));
    }
    expect(alerts().map((a) => a.message)).toEqual([`cannot reach ${loopUrl}: more than 20 redirects`]);
  });

  it('checks a second after start, then on its interval from the end of each check, and stops cleanly', async () => {
    const site = probe({ http: url, everySec: 30 });
    site.start();
    clock.advance(999);
    expect(fetches).toBe(0);
    clock.advance(1);
    expect(fetches).toBe(1);
    await publisher.waitFor((e) => e.type === 'update');
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(1);
    clock.advance(29_999);
    expect(fetches).toBe(1);
    clock.advance(1);
    expect(fetches).toBe(2);
    await site.stop();
    expect(clock.pending).toBe(0);
  });
});

describe('command probes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-probe-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads stdout as a number when it is one, and alerts above the lines', async () => {
    const file = join(dir, 'queue');
    await writeFile(file, '5\n');
    const queue = probe({ command: `cat ${file}`, above: [100, 1000] }, 'queue');
    await queue.check();
    await writeFile(file, '1500\n');
    await queue.check();
    await writeFile(file, 'not a number\n');
    await queue.check();
    expect(updates().map((u) => u.status.value)).toEqual([5, 1500, 'not a number']);
    expect(alerts()).toMatchObject([{ topic: 'probe/queue', metric: 'above', level: 'critical', value: 1500 }]);
    expect(logged).toEqual(['probe queue: thresholds need a number, got not a number']);
  });

  it('is critical when the command fails, with its last stderr line', async () => {
    await probe({ command: 'echo oops >&2; exit 2' }, 'broken').check();
    expect(alerts()).toMatchObject([
      { level: 'critical', metric: 'value', message: '"echo oops >&2; exit 2" exited with code 2: oops' },
    ]);
  });
});

describe('command probes that leave processes behind', () => {
  let dir: string;
  const strays: number[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-probe-'));
  });
  afterEach(async () => {
    for (const pid of strays.splice(0)) killIfAlive(pid);
    await rm(dir, { recursive: true, force: true });
  });

  /** A check, or a rejection when it has not ended within `ms` (the old code never ended some). */
  const within = (check: Promise<void>, ms: number): Promise<void> =>
    Promise.race([check, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`the check did not end within ${ms} ms`)), ms))]);

  it('ends the check when the command exits, though a background child still holds stdout, and kills that child', async () => {
    const check = probe({ command: 'sleep 305 & echo $!', timeoutSec: 2 }, 'bg').check();
    await within(check, 10_000);
    const [update] = updates();
    expect(update?.status).toMatchObject({ ok: true, level: 'ok' });
    const pid = update?.status.value as number;
    strays.push(pid);
    expect(typeof pid).toBe('number');
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it('ends the check when the command exits, though a child that left the group (setsid) holds stdout', async () => {
    // The command prints the child's pid once the child has left the group (setsid runs sh after setsid(2)).
    const pidFile = join(dir, 'pid');
    const command = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 304' & while [ ! -s ${pidFile} ]; do sleep 0.01; done; cat ${pidFile}`;
    const check = probe({ command, timeoutSec: 2 }, 'detached').check();
    await within(check, 10_000);
    const pid = updates()[0]?.status.value as number;
    strays.push(pid);
    expect(updates()[0]?.status).toMatchObject({ ok: true, value: pid });
    expect(alerts()).toEqual([]);
  });

  it('enforces the timeout though a child that left the group holds stdout open', async () => {
    const pidFile = join(dir, 'pid');
    const command = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 303' & exec sleep 300`;
    const check = probe({ command, timeoutSec: 1 }, 'stuck').check();
    const settled = within(check, 10_000);
    strays.push(await readPidFile(pidFile));
    await settled;
    expect(alerts().map((a) => a.message)).toEqual([`${JSON.stringify(command)}: no result within 1s`]);
  });

  it('runs without the server\'s token in its environment', async () => {
    const saved = process.env.HERALD_TOKEN;
    process.env.HERALD_TOKEN = 'server-secret-token';
    try {
      await probe({ command: 'printenv HERALD_TOKEN || echo "no token"' }, 'env').check();
    } finally {
      if (saved === undefined) delete process.env.HERALD_TOKEN;
      else process.env.HERALD_TOKEN = saved;
    }
    expect(updates().map((u) => u.status.value)).toEqual(['no token']);
  });
});

describe('JSON pointers (RFC 6901)', () => {
  const doc = { 'a/b': 1, 'm~n': 2, list: [10, 20], '': 3 };
  it('resolves escapes, array indexes and the whole document', () => {
    expect(resolvePointer(doc, '/a~1b')).toEqual({ found: true, value: 1 });
    expect(resolvePointer(doc, '/m~0n')).toEqual({ found: true, value: 2 });
    expect(resolvePointer(doc, '/list/1')).toEqual({ found: true, value: 20 });
    expect(resolvePointer(doc, '/')).toEqual({ found: true, value: 3 });
    expect(resolvePointer(doc, '')).toEqual({ found: true, value: doc });
  });
  it('says where the walk failed', () => {
    expect(resolvePointer(doc, '/list/01')).toEqual({ found: false, reason: 'no value at /list/01 in the JSON body' });
    expect(resolvePointer(doc, '/list/2/x')).toEqual({ found: false, reason: 'no value at /list/2 in the JSON body' });
    expect(resolvePointer(doc, '/toString')).toMatchObject({ found: false });
  });
});
