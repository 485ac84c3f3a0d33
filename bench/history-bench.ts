// The desktop history's speed with 100,000 entries (the target: a query in
// milliseconds). Each query runs through HistoryStore (indexes, FTS5 trigram text
// search) and, as the baseline measured in the same run on the same file, as the
// same SQL forced to scan the table (`NOT INDEXED`, LIKE for text). Both must return
// the same rows. Also measures inserts and a full CSV export.
// Prints markdown and writes bench/results/history.md.
// Run: node bench/history-bench.ts [--quick]   (--quick: 20,000 entries, fewer runs)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { HistoryStore } from '../main/core/history/history-store.ts';
import type { HistoryQuery } from '../main/core/history/history-query.ts';
import type { HeraldEvent, Level } from '../server/protocol/events.ts';

const quick = process.argv.includes('--quick');
const ENTRIES = quick ? 20_000 : 100_000;
const RUNS = quick ? 5 : 15;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const WORDS = ['backup', 'deploy', 'build', 'tests', 'disk', 'latency', 'timeout', 'restart', 'upload', 'report', 'cache', 'queue'];
const LEVELS: Level[] = ['ok', 'ok', 'ok', 'warn', 'critical'];

/** A deterministic mix: 200 topics, every type, bodies from a small vocabulary, 30 days. */
function makeEvent(i: number): HeraldEvent {
  const topic = i % 200 < 120 ? `job/build/${i % 120}` : i % 200 < 180 ? `host/${i % 60}/disk` : `price/${i % 20}`;
  const time = T0 + Math.floor((i / ENTRIES) * 30 * DAY);
  const word = WORDS[i % WORDS.length]!;
  const rare = i % 997 === 0 ? ' zanzibar' : '';
  const id = String(i + 1);
  switch (i % 5) {
    case 0:
      return { id, type: 'alert', data: { topic, time, level: LEVELS[Math.floor(i / 5) % LEVELS.length]!, message: `${word} check ${i}${rare}` } };
    case 1:
      return { id, type: 'update', data: { topic, time, status: { step: word, progress: i % 100 } } };
    case 2:
      return { id, type: 'end', data: { topic, time, state: i % 3 === 0 ? 'failed' : 'succeeded', exitCode: i % 3 === 0 ? 1 : 0, durationMs: i, summary: `${word} finished${rare}` } };
    default:
      return { id, type: 'notify', data: { topic, time, title: `${word} ${i % 50}`, body: `the ${word} of item ${i} is done${rare}`, priority: 1 + (i % 5), tags: [] } };
  }
}

interface Case {
  name: string;
  query: HistoryQuery;
  /** The same rows by a full scan: WHERE clause and parameters. */
  scan: { where: string; params: Array<string | number> };
}

const CASES: Case[] = [
  { name: 'newest 100 (no filter)', query: {}, scan: { where: '', params: [] } },
  { name: 'one topic', query: { topic: 'host/7/disk' }, scan: { where: 'WHERE topic = ?', params: ['host/7/disk'] } },
  { name: 'pattern price/*', query: { topic: 'price/*' }, scan: { where: "WHERE topic GLOB 'price/*'", params: [] } },
  { name: 'type alert + level critical', query: { type: 'alert', level: 'critical' }, scan: { where: "WHERE type = 'alert' AND level = 'critical'", params: [] } },
  { name: 'one day (time range)', query: { from: T0 + 12 * DAY, to: T0 + 13 * DAY }, scan: { where: 'WHERE time >= ? AND time < ?', params: [T0 + 12 * DAY, T0 + 13 * DAY] } },
  { name: 'text, rare word', query: { text: 'zanzibar' }, scan: { where: "WHERE (topic LIKE '%zanzibar%' OR title LIKE '%zanzibar%' OR body LIKE '%zanzibar%')", params: [] } },
  { name: 'text, common word', query: { text: 'latency' }, scan: { where: "WHERE (topic LIKE '%latency%' OR title LIKE '%latency%' OR body LIKE '%latency%')", params: [] } },
  {
    name: 'topic + text',
    query: { topic: 'job/build/1', text: 'deploy' },
    scan: { where: "WHERE topic = 'job/build/1' AND (topic LIKE '%deploy%' OR title LIKE '%deploy%' OR body LIKE '%deploy%')", params: [] },
  },
];

function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'herald-history-bench-'));
  const file = join(dir, 'history.db');
  try {
    const store = HistoryStore.open({ file, maxEntries: ENTRIES * 2, maxAgeMs: 3650 * DAY, now: () => T0 + 31 * DAY });
    const events = Array.from({ length: ENTRIES }, (_, i) => makeEvent(i));
    const insertMs = timeMs(() => {
      for (let i = 0; i < events.length; i += 1000) store.recordMany('bench', events.slice(i, i + 1000));
    });
    const single = Array.from({ length: 200 }, (_, i) => makeEvent(ENTRIES + i));
    const singleMs = timeMs(() => single.forEach((event) => store.record('bench', event))) / single.length;

    const scanDb = new DatabaseSync(file, { readOnly: true });
    const rows: string[] = [];
    for (const c of CASES) {
      const indexed: number[] = [];
      const scanned: number[] = [];
      let indexedIds: number[] = [];
      let scannedIds: number[] = [];
      // The same columns, parsed the same way as HistoryStore does, so only the plan differs.
      const scanSql = scanDb.prepare(`SELECT seq, server_id, event_id, type, level, received_at, title, body, data FROM history NOT INDEXED ${c.scan.where} ORDER BY seq DESC LIMIT 100`);
      for (let run = 0; run < RUNS; run++) {
        indexed.push(timeMs(() => (indexedIds = store.query({ ...c.query, limit: 100 }).entries.map((e) => e.seq))));
        scanned.push(timeMs(() => (scannedIds = (scanSql.all(...c.scan.params) as Array<{ seq: number; data: string }>).map((r) => (JSON.parse(r.data), r.seq)))));
      }
      const same = JSON.stringify(indexedIds) === JSON.stringify(scannedIds);
      if (!same) throw new Error(`"${c.name}": the indexed query and the scan returned different rows`);
      const i = stats(indexed);
      const s = stats(scanned);
      const matches = store.count(c.query);
      rows.push(`| ${c.name} | ${matches} | ${fmt(i.median)} | ${fmt(i.p95)} | ${fmt(s.median)} | ${fmt(s.p95)} | ${(s.median / i.median).toFixed(1)}x |`);
    }
    scanDb.close();
    let csvBytes = 0;
    const exportMs = timeMs(() => (csvBytes = store.exportCsv().length));
    store.close();

    const report = [
      `# History benchmark (${ENTRIES.toLocaleString('en')} entries${quick ? ', quick' : ''})`,
      '',
      `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, SQLite via node:sqlite. ` +
        `Each query asks for the newest 100 matching entries, ${RUNS} runs; baseline = the same SQL on the same file forced to scan (\`NOT INDEXED\`, LIKE for text), which returned the same rows.`,
      '',
      '| query | matching | indexed median ms | indexed p95 ms | full scan median ms | full scan p95 ms | speed-up |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      `Inserts: ${ENTRIES.toLocaleString('en')} in batches of 1,000 took ${(insertMs / 1000).toFixed(2)} s (${Math.round(ENTRIES / (insertMs / 1000)).toLocaleString('en')}/s); ` +
        `one at a time (own transaction each): ${fmt(singleMs)} ms per event.`,
      `CSV export of everything: ${fmt(exportMs)} ms, ${(csvBytes / 2 ** 20).toFixed(1)} MiB.`,
      '',
      'Command: `node bench/history-bench.ts' + (quick ? ' --quick' : '') + '`',
      '',
    ].join('\n');
    process.stdout.write(report);
    if (!quick) writeFileSync(fileURLToPath(new URL('./results/history.md', import.meta.url)), report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
