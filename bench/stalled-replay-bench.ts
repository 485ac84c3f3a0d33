// Readers that stall during replay: `herald serve` with a backlog of 5,000 messages of
// about 3.9 KB over topics r0..r9, then 400 raw sockets ask for all of it
// (`/events?topics=**&since=all`) and never read. Each must be dropped within the
// replay deadline (`--replay-timeout-sec`), the server's RSS must stay bounded,
// `/health` must keep answering and a live subscriber must keep receiving.
// Sampled every 250 ms: server RSS (/proc), /health latency, sockets the server
// closed, and the delay of a live event published each second to a reading client.
// The stalled clients are opened by python3 with SO_RCVBUF 4096, as in the report
// that found the problem (Node cannot set it); without python3 they are paused Node
// sockets, whose larger default receive buffer lets the kernel absorb more first.
// Prints markdown. Run: node bench/stalled-replay-bench.ts [--quick]
//   (--quick: 1,000 messages and 100 readers)

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { ServerProcess } from './server-process.ts';

const quick = process.argv.includes('--quick');
const MESSAGES = quick ? 1000 : 5000;
const READERS = quick ? 100 : 400;
const BODY_BYTES = 3900;
const DEADLINE_SEC = 30;
const RSS_GROWTH_LIMIT_MIB = 400;
const HEALTH_LIMIT_MS = 1000;
const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function publishBacklog(url: string): Promise<void> {
  const body = 'x'.repeat(BODY_BYTES);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < MESSAGES) {
      const i = next++;
      const response = await fetch(`${url}/topics/r${i % 10}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `${i} ${body}` });
      if (response.status !== 201) throw new Error(`publish ${i}: HTTP ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const PATH = '/events?topics=**&since=all';

// Opens argv[2] sockets to 127.0.0.1:argv[1] with a 4 KiB receive buffer, asks each
// for the backlog, says "ready", and holds them unread until stdin closes.
const PYTHON_READERS = `
import socket, sys
port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\\r\\nHost: 127.0.0.1:%d\\r\\nAccept: text/event-stream\\r\\n\\r\\n" % (path, port)).encode())
    held.append(s)
print("ready", flush=True)
sys.stdin.read()
`;

/**
 * Sockets that ask for the whole backlog and never read. A reader that does not read
 * does not see the server close it either, so drops are counted from the server's
 * `/health` subscriber count.
 */
async function stalledReaders(port: number, count: number): Promise<{ kind: string; close(): void }> {
  const python = spawn('python3', ['-c', PYTHON_READERS, String(port), String(count), PATH], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<boolean>((resolve) => {
    python.once('error', () => resolve(false));
    python.once('exit', () => resolve(false));
    python.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(true));
  });
  if (ready) return { kind: 'python3 sockets with SO_RCVBUF 4096', close: () => python.stdin.end() };
  const sockets = Array.from({ length: count }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    socket.on('error', () => {});
    socket.write(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    return socket;
  });
  return { kind: 'paused Node sockets (python3 not found)', close: () => sockets.forEach((socket) => socket.destroy()) };
}

/** A live subscriber that reads; `delays` are the ms from publish to arrival of each `live` event. */
function liveReader(url: string): { delays: number[]; close(): void } {
  const delays: number[] = [];
  const parser = createParser({
    onEvent: (message) => {
      const sent = Number((JSON.parse(message.data) as { body: string }).body);
      if (Number.isFinite(sent)) delays.push(Date.now() - sent);
    },
  });
  const req = request(`${url}/events?topics=live`, { headers: { Accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.feed(chunk));
  });
  req.on('error', () => {});
  req.end();
  return { delays, close: () => req.destroy() };
}

/** How long /health took (10 s when it did not answer in time) and the subscribers it counted (null then). */
async function timedHealth(url: string): Promise<{ ms: number; subscribers: number | null }> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { subscribers: number };
    if (response.status !== 200) throw new Error(`/health answered ${response.status}`);
    return { ms: performance.now() - started, subscribers: body.subscribers };
  } catch {
    return { ms: performance.now() - started, subscribers: null };
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-stall-'));
  const server = await ServerProcess.start({
    name: 'herald serve',
    command: process.execPath,
    args: [path.join(ROOT, 'bin/herald.js'), 'serve', '--port', '0', '--data-dir', dir, '--retain-events', String(MESSAGES), '--heartbeat-sec', '15'],
    cwd: ROOT,
  });
  const url = server.urls[0]!;
  const port = Number(new URL(url).port);
  try {
    await publishBacklog(url);
    await sleep(1500);
    const rssStart = server.rssKiB() ?? 0;
    const live = liveReader(url);
    await sleep(300);

    const opened = performance.now();
    const readers = await stalledReaders(port, READERS);
    let rssPeak = rssStart;
    let healthMax = 0;
    let published = 0;
    let lastPublish = 0;
    let peakReaders = 0;
    let peakAt = 0;
    let left = READERS;
    let allDroppedAt: number | null = null;
    while (allDroppedAt === null && performance.now() - opened < (DEADLINE_SEC + 30) * 1000) {
      const [health] = await Promise.all([timedHealth(url), sleep(250)]);
      healthMax = Math.max(healthMax, health.ms);
      if (process.env.HERALD_BENCH_TRACE) console.error(`${((performance.now() - opened) / 1000).toFixed(1)} s: /health ${health.ms.toFixed(0)} ms, ${health.subscribers ?? '?'} subscribers, RSS ${((server.rssKiB() ?? 0) / 1024).toFixed(0)} MiB`);
      rssPeak = Math.max(rssPeak, server.rssKiB() ?? 0);
      if (health.subscribers !== null) left = health.subscribers - 1;
      if (left > peakReaders) [peakReaders, peakAt] = [left, performance.now() - opened];
      if (left === 0 && performance.now() - opened > 1000) allDroppedAt = performance.now() - opened;
      if (performance.now() - lastPublish >= 1000) {
        lastPublish = performance.now();
        published++;
        void fetch(`${url}/topics/live`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: String(Date.now()) });
      }
    }
    readers.close();
    await sleep(5000);
    const rssAfter = server.rssKiB() ?? 0;
    live.close();

    const mib = (kib: number): string => (kib / 1024).toFixed(0);
    const growth = (rssPeak - rssStart) / 1024;
    const liveMax = live.delays.length > 0 ? Math.max(...live.delays) : null;
    const rows: Array<[string, string, string]> = [
      ['server RSS before the readers', `${mib(rssStart)} MiB`, ''],
      ['server RSS peak while they stall', `${mib(rssPeak)} MiB (+${growth.toFixed(0)} MiB)`, `growth < ${RSS_GROWTH_LIMIT_MIB} MiB: ${growth < RSS_GROWTH_LIMIT_MIB ? 'met' : 'NOT met'}`],
      ['stalled readers subscribed at once (peak)', `${peakReaders} of ${READERS}, ${(peakAt / 1000).toFixed(1)} s after the first connected`, ''],
      ['stalled readers the server dropped', `${READERS - left} of ${READERS}`, `all: ${left === 0 ? 'met' : 'NOT met'}`],
      [
        'all dropped',
        allDroppedAt === null ? `not within ${DEADLINE_SEC + 30} s` : `${(allDroppedAt / 1000).toFixed(1)} s after the first connected, ${((allDroppedAt - peakAt) / 1000).toFixed(1)} s after the peak`,
        `each within ${DEADLINE_SEC} s of subscribing: ${allDroppedAt !== null && allDroppedAt - peakAt < DEADLINE_SEC * 1000 ? 'met' : 'NOT met'}`,
      ],
      ['slowest /health meanwhile', `${healthMax.toFixed(0)} ms`, `under ${HEALTH_LIMIT_MS} ms: ${healthMax < HEALTH_LIMIT_MS ? 'met' : 'NOT met'}`],
      ['live events received / slowest', `${live.delays.length} of ${published} / ${liveMax === null ? '–' : `${liveMax} ms`}`, ''],
      ['server RSS 5 s after the readers left', `${mib(rssAfter)} MiB`, ''],
    ];
    console.log(`## Readers that stall during replay\n`);
    console.log(`${MESSAGES.toLocaleString('en')} messages of ${BODY_BYTES} bytes over r0..r9; ${READERS} ${readers.kind} ask for \`${PATH}\` and never read; \`herald serve\` defaults.\n`);
    console.log('| figure | value | goal |\n|---|---|---|');
    for (const [figure, value, goal] of rows) console.log(`| ${figure} | ${value} | ${goal} |`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
