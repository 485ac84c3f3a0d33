// What one idle subscriber costs a server, and where the bytes go: N raw-socket
// subscribers connect to one server (250 at a time), receive one warm-up event, and
// after 3 s of quiet the server's RSS (/proc/<pid>/status) less its RSS before them
// is divided by N, as the idle scenario does (bench/scenarios/idle-subscribers.ts),
// but with any N up to the fd limit, node flags of choice, and on request a heap
// snapshot of the loaded server (Node's --heapsnapshot-signal) summed by constructor.
// Findings: bench/results/subscriber-memory.md.
//
//   node bench/subscriber-memory.ts [--server herald|node-http|raw-net] [--subscribers 10000]
//        [--node-flag=--max-semi-space-size=1 ...] [--settle-ms 3000] [--snapshot]

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { targetNamed } from './targets.ts';
import { rssKiB } from './proc-stats.ts';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'herald' },
    subscribers: { type: 'string', default: '10000' },
    'node-flag': { type: 'string', multiple: true, default: [] },
    snapshot: { type: 'boolean', default: false },
    'settle-ms': { type: 'string', default: '3000' },
  },
});
const count = Number(values.subscribers);
const target = targetNamed(values.server);
if (target === undefined || !Number.isInteger(count) || count < 1 || count > 19_000) {
  throw new Error(`expected --server herald, node-http or raw-net and --subscribers 1..19000, got ${values.server} and ${values.subscribers}`);
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const workDir = mkdtempSync(path.join(tmpdir(), 'herald-submem-'));
const nodeArgs = [...values['node-flag'], ...(values.snapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${workDir}`] : [])];
// Herald admits 15,000 streams by default: raise its caps to the count (the references ignore the options).
const serverArgs = ['--max-subscribers', String(count), '--max-subscribers-loopback', String(count)];
const server = await target.start({ workDir, nodeArgs, serverArgs });
const url = new URL(server.urls[0]!);
const pid = server.pids[0]!;
const sockets: Socket[] = [];
try {
  await sleep(1500);
  // The snapshot is taken before RSS is read: writing one grows RSS for good.
  const baseline = values.snapshot ? tally(await heapSnapshot(pid, workDir)) : undefined;
  const before = rssKiB(pid)!;
  const started = performance.now();
  for (let i = 0; i < count; i += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, count - i) }, () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(Number(url.port), '127.0.0.1', () => socket.write(`GET /events?topics=bench HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`));
          socket.setTimeout(15_000, () => reject(new Error('no response head within 15 s')));
          socket.once('data', (head: Buffer) => {
            socket.setTimeout(0);
            if (head.toString('latin1').startsWith('HTTP/1.1 200')) resolve();
            else reject(new Error(`expected a 200 stream, got ${head.toString('latin1').split('\r\n')[0]}`));
          });
          socket.on('error', reject);
          sockets.push(socket);
        }),
      ),
    );
  }
  const connectMs = performance.now() - started;
  if (target.subscribeOnly !== true) {
    const warmed = Promise.all(sockets.map((s) => new Promise((resolve) => s.once('data', resolve))));
    const res = await fetch(new URL('/topics/bench', url), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'warm-up' });
    if (!res.ok) throw new Error(`warm-up publish answered ${res.status}: ${await res.text()}`);
    await warmed;
  }
  await sleep(Number(values['settle-ms']));
  const after = rssKiB(pid)!;
  console.log(JSON.stringify({ server: values.server, subscribers: count, nodeFlags: values['node-flag'], connectMs: Math.round(connectMs), kibPerSubscriber: +((after - before) / count).toFixed(2), rssBeforeMiB: +(before / 1024).toFixed(1), rssAfterMiB: +(after / 1024).toFixed(1) }));
  if (values.snapshot) {
    const loaded = await heapSnapshot(pid, workDir);
    console.log(summarise(tally(loaded), baseline!, count));
  }
} finally {
  for (const socket of sockets) socket.destroy();
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });
}

/** A heap snapshot of `pid` (which runs with --heapsnapshot-signal=SIGUSR2 and --diagnostic-dir=dir). */
async function heapSnapshot(pid: number, dir: string): Promise<HeapSnapshot> {
  for (const old of readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'))) rmSync(path.join(dir, old));
  process.kill(pid, 'SIGUSR2');
  // Node writes the snapshot in pieces: read it once it parses as a whole.
  for (let i = 0; i < 600; i++) {
    await sleep(1000);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    try {
      if (file !== undefined) return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as HeapSnapshot;
    } catch {
      // not finished yet
    }
  }
  throw new Error('no heap snapshot within 10 min');
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

type Tally = Map<string, { count: number; bytes: number }>;

/** Self bytes and counts by constructor (objects, closures, native) or node type. */
function tally(snapshot: HeapSnapshot): Tally {
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = snapshot.snapshot.meta.node_types[0];
  const by: Tally = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'native' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[i + nameAt]!]}` : `(${type})`;
    const entry = by.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    by.set(name, entry);
  }
  return by;
}

/** What the subscribers added to the live heap, by constructor, the largest first, per subscriber. */
function summarise(loaded: Tally, baseline: Tally, subscribers: number): string {
  const grown = [...loaded.entries()].map(([name, { count: n, bytes }]) => {
    const was = baseline.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: n - was.count, bytes: bytes - was.bytes };
  });
  const total = grown.reduce((sum, g) => sum + g.bytes, 0);
  const lines = [
    `live heap grew ${(total / 1024 / 1024).toFixed(1)} MiB, ${(total / 1024 / subscribers).toFixed(2)} KiB per subscriber`,
    '| what (self size) | count added | bytes per subscriber |',
    '|---|---:|---:|',
  ];
  for (const g of grown.sort((a, b) => b.bytes - a.bytes).slice(0, 25)) lines.push(`| ${g.name.slice(0, 60)} | ${g.count} | ${(g.bytes / subscribers).toFixed(0)} |`);
  return lines.join('\n');
}
