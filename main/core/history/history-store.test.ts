import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeraldEvent, Level } from '../../../server/protocol/events.ts';
import { HeraldError } from '../../../server/protocol/errors.ts';
import { DatabaseSync } from 'node:sqlite';
import { formulaCells, parseCsv } from '../../../test/support/csv-reader.ts';
import { csvField } from './csv.ts';
import { HISTORY_DDL } from './history-schema.ts';
import { HistoryStore, type HistoryOptions } from './history-store.ts';

const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);
const DAY = 86_400_000;

let dir: string;
let stores: HistoryStore[] = [];
let counter = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-history-'));
  stores = [];
});
afterEach(() => {
  for (const store of stores) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<HistoryOptions> = {}): HistoryStore {
  const store = HistoryStore.open({ file: join(dir, 'history.db'), maxEntries: 1000, maxAgeMs: 30 * DAY, now: () => T0, ...options });
  stores.push(store);
  return store;
}

function nextId(): string {
  return `id-${String(++counter).padStart(6, '0')}`;
}
function notify(topic: string, body: string, extra: { title?: string; priority?: number; time?: number } = {}): HeraldEvent {
  return { id: nextId(), type: 'notify', data: { topic, time: extra.time ?? T0, title: extra.title, body, priority: extra.priority ?? 3, tags: [] } };
}
function alert(topic: string, level: Level, time = T0): HeraldEvent {
  return { id: nextId(), type: 'alert', data: { topic, time, level, message: `${topic} went ${level}` } };
}
function update(topic: string, status: Record<string, unknown>, time = T0): HeraldEvent {
  return { id: nextId(), type: 'update', data: { topic, time, status } };
}

const ids = (store: HistoryStore, query: Parameters<HistoryStore['query']>[0]) => store.query(query).entries.map((e) => e.event.id);

describe('recording events', () => {
  it('keeps each event with its level and words, newest first', () => {
    const store = open();
    const a = alert('host/disk', 'critical');
    const n = notify('backup', 'nightly backup done', { title: 'Backup' });
    expect(store.record('local', a)).toBe(true);
    expect(store.record('local', n)).toBe(true);
    const [first, second] = store.query().entries;
    expect(first).toMatchObject({ serverId: 'local', event: n, level: 'info', title: 'Backup', body: 'nightly backup done', receivedAt: T0 });
    expect(second).toMatchObject({ event: a, level: 'critical', title: 'Critical: host/disk' });
    expect(store.get('local', a.id)?.event).toEqual(a);
    expect(store.get('local', 'nope')).toBeNull();
  });

  it('stores a replayed event once per server, and the same id from two servers twice', () => {
    const store = open();
    const event = notify('a', 'x');
    expect(store.recordMany('local', [event, event])).toBe(1);
    expect(store.record('local', event)).toBe(false);
    expect(store.record('remote', event)).toBe(true);
    expect(store.count()).toBe(2);
  });

  it('survives closing and reopening the file', () => {
    const first = open();
    first.record('local', notify('a', 'kept'));
    first.resumePoints.save('local', 'id-42');
    first.close();
    // What servers said is readable by its owner only.
    expect(statSync(join(dir, 'history.db')).mode & 0o777).toBe(0o600);
    const again = open();
    expect(again.query().entries.map((e) => e.body)).toEqual(['kept']);
    expect(again.resumePoints.load('local')).toBe('id-42');
    expect(again.resumePoints.load('other')).toBeNull();
  });
});

describe('queries', () => {
  let store: HistoryStore;
  const events: Record<string, HeraldEvent> = {};
  beforeEach(() => {
    store = open();
    Object.assign(events, {
      build1: notify('job/build/1', 'Compiling 50% done', { time: T0 }),
      build2: notify('job/build/2', 'Tests FAILED: 3 of 120', { priority: 5, time: T0 + 1000 }),
      deploy: notify('job/deploy', 'Rolled out v1.2 to "prod"', { time: T0 + 2000 }),
      disk: alert('host/disk', 'warn', T0 + 3000),
      cpu: alert('host/cpu', 'critical', T0 + 4000),
      price: update('price/eur', { value: 1.08, trend: 'up' }, T0 + 5000),
      odd: notify('misc', '100% of 5_000 items; ok', { time: T0 + 6000 }),
    });
    for (const event of Object.values(events)) store.record('local', event);
    store.record('remote', notify('job/build/1', 'remote build', { time: T0 + 7000 }));
  });

  const idOf = (...names: string[]) => names.map((name) => events[name]?.id);

  it('by server and exact topic', () => {
    expect(ids(store, { topic: 'job/build/1' })).toHaveLength(2);
    expect(ids(store, { topic: 'job/build/1', serverId: 'local' })).toEqual(idOf('build1'));
  });

  it('by pattern: * is one segment, ** one or more', () => {
    expect(ids(store, { topic: 'job/*', serverId: 'local' })).toEqual(idOf('deploy'));
    expect(ids(store, { topic: 'job/**', serverId: 'local' })).toEqual(idOf('deploy', 'build2', 'build1'));
    expect(ids(store, { topic: 'host/*' })).toEqual(idOf('cpu', 'disk'));
  });

  it('by type and by level, one or several', () => {
    expect(ids(store, { type: 'alert' })).toEqual(idOf('cpu', 'disk'));
    expect(ids(store, { type: ['alert', 'update'] })).toEqual(idOf('price', 'cpu', 'disk'));
    expect(ids(store, { level: 'critical' })).toEqual(idOf('cpu', 'build2'));
    expect(ids(store, { level: ['warn', 'critical'], type: 'alert' })).toEqual(idOf('cpu', 'disk'));
    // The levels the window shows: a message at normal priority and a plain status are info, not ok.
    expect(ids(store, { level: 'info', serverId: 'local' })).toEqual(idOf('odd', 'price', 'deploy', 'build1'));
    expect(ids(store, { level: 'ok' })).toEqual([]);
    expect(ids(store, { type: [] })).toEqual([]);
  });

  it('by event time: from included, to excluded', () => {
    expect(ids(store, { from: T0 + 1000, to: T0 + 3000 })).toEqual(idOf('deploy', 'build2'));
  });

  it('by text: any substring of topic, title or body, any case, every word', () => {
    expect(ids(store, { text: 'failed' })).toEqual(idOf('build2'));
    expect(ids(store, { text: 'ompil' })).toEqual(idOf('build1'));
    expect(ids(store, { text: 'host/' })).toEqual(idOf('cpu', 'disk'));
    expect(ids(store, { text: 'tests 120' })).toEqual(idOf('build2'));
    expect(ids(store, { text: 'tests deploy' })).toEqual([]);
    expect(ids(store, { text: 'trend' })).toEqual(idOf('price'));
  });

  it('by text with quotes, wildcards of LIKE and words shorter than three characters', () => {
    expect(ids(store, { text: '"prod"' })).toEqual(idOf('deploy'));
    expect(ids(store, { text: '%' })).toEqual(idOf('odd', 'build1'));
    expect(ids(store, { text: '5_0' })).toEqual(idOf('odd'));
    expect(ids(store, { text: '_' })).toEqual(idOf('odd'));
    expect(ids(store, { text: 'v1 rolled' })).toEqual(idOf('deploy'));
  });

  it('pages back with `before` without skipping or repeating', () => {
    const seen: string[] = [];
    let before: number | undefined;
    for (let page = 0; page < 10; page++) {
      const result = store.query({ limit: 3, ...(before === undefined ? {} : { before }) });
      seen.push(...result.entries.map((e) => `${e.serverId}/${e.event.id}`));
      if (result.nextBefore === null) break;
      before = result.nextBefore;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(store.count({ serverId: 'local' })).toBe(7);
  });

  it('refuses a bad limit or topic with what was expected', () => {
    expect(() => store.query({ limit: 0 })).toThrowError(/expected a history limit of 1 to 10000, got 0/);
    expect(() => store.query({ topic: 'a b' })).toThrowError(HeraldError);
  });
});

describe('paging through many entries', () => {
  it('returns exactly the newest matches, whether recent or far back, page after page', () => {
    const store = open({ maxEntries: 10_000 });
    const all: HeraldEvent[] = [];
    for (let i = 0; i < 600; i++) {
      // `rare` appears only among the oldest entries; `mid` around the middle; `busy` everywhere.
      const topic = i < 10 ? 'rare' : i % 97 === 0 ? 'mid' : `busy/${i % 3}`;
      all.push(i % 4 === 0 ? alert(topic, i % 8 === 0 ? 'critical' : 'warn', T0 + i) : notify(topic, `word${i % 5} item ${i}`, { time: T0 + i }));
    }
    store.recordMany('local', all);
    const queries: Array<Parameters<HistoryStore['query']>[0] & object> = [
      { topic: 'rare' }, { topic: 'mid' }, { topic: 'busy/*' }, { level: 'critical' }, { type: 'notify', text: 'word3' },
      { from: T0 + 5, to: T0 + 40 }, { text: 'item' }, {},
    ];
    for (const query of queries) {
      const expected = store.exportJson(query) === '[]\n' ? [] : (JSON.parse(store.exportJson(query)) as Array<{ id: string }>).map((e) => e.id).reverse();
      for (const limit of [1, 3, 7]) {
        const seen: string[] = [];
        let before: number | undefined;
        for (;;) {
          const page = store.query({ ...query, limit, ...(before === undefined ? {} : { before }) });
          seen.push(...page.entries.map((e) => e.event.id));
          if (page.nextBefore === null) break;
          before = page.nextBefore;
        }
        expect(seen, `${JSON.stringify(query)} limit ${limit}`).toEqual(expected);
      }
    }
  });
});

describe('bounds', () => {
  it('keeps only the newest entries beyond the count bound', () => {
    const store = open({ maxEntries: 5, pruneEvery: 1 });
    for (let i = 0; i < 12; i++) store.record('local', notify('t', `n${i}`));
    expect(store.query().entries.map((e) => e.body)).toEqual(['n11', 'n10', 'n9', 'n8', 'n7']);
    expect(store.query({ text: 'n1' }).entries.map((e) => e.body)).toEqual(['n11', 'n10']);
  });

  it('drops entries older than the age bound', () => {
    let now = T0;
    const store = open({ maxAgeMs: DAY, now: () => now });
    store.record('local', notify('t', 'old'));
    now += DAY / 2;
    store.record('local', notify('t', 'new'));
    now += DAY / 2 + 1;
    expect(store.prune()).toBe(1);
    expect(store.query().entries.map((e) => e.body)).toEqual(['new']);
    expect(store.query({ text: 'old' }).entries).toEqual([]);
  });

  it('clears everything but keeps resume points', () => {
    const store = open();
    store.record('local', notify('t', 'x'));
    store.resumePoints.save('local', 'id-9');
    store.clear();
    expect(store.count()).toBe(0);
    expect(store.query({ text: 'x' }).entries).toEqual([]);
    expect(store.resumePoints.load('local')).toBe('id-9');
  });
});

describe('export', () => {
  it('writes JSON that reads back as the entries, oldest first', () => {
    const store = open();
    const events = [notify('a', 'one'), alert('b', 'warn')];
    for (const event of events) store.record('local', event);
    const exported = JSON.parse(store.exportJson()) as Array<{ id: string; data: unknown; level: string | null; time: string }>;
    expect(exported.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(exported[1]).toMatchObject({ level: 'warn', data: events[1]?.data, time: new Date(T0).toISOString() });
    expect(open({ file: join(dir, 'empty.db') }).exportJson()).toBe('[]\n');
  });

  it('writes CSV with quotes, commas, line breaks and formulas escaped', () => {
    const store = open();
    const tricky = 'He said "hi", then\nleft';
    store.record('local', notify('t', tricky, { title: '=HYPERLINK("http://x")' }));
    store.record('local', notify('t', 'plain'));
    const csv = store.exportCsv({ topic: 't' });
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, first, second] = parseCsv(csv);
    expect(header).toEqual(['time', 'received', 'server', 'topic', 'type', 'level', 'title', 'body', 'id']);
    expect(first?.slice(2, 8)).toEqual(['local', 't', 'notify', 'info', `'=HYPERLINK("http://x")`, tricky]);
    expect(second?.[7]).toBe('plain');
  });

  it('guards formulas after a ; or TAB too, so no cell runs in a spreadsheet splitting on them', () => {
    const store = open();
    store.record('local', notify('t', 'x\t=2+2', { title: 'x;=1+1;y' }));
    const csv = store.exportCsv({ topic: 't' });
    expect(parseCsv(csv)[1]?.slice(6, 8)).toEqual([`x;'=1+1;y`, `x\t'=2+2`]);
    expect(formulaCells(csv)).toEqual([]);
  });

  it('quotes exactly the fields that need it', () => {
    expect(['a', 'a,b', 'a;b', 'a\tb', 'say "x"', 'two\r\nlines', '-1', '@me', 42, null].map((v) => csvField(v))).toEqual([
      'a',
      '"a,b"',
      '"a;b"',
      '"a\tb"',
      '"say ""x"""',
      '"two\r\nlines"',
      "'-1",
      "'@me",
      '42',
      '',
    ]);
    expect(csvField('=1+1', { spreadsheetSafe: false })).toBe('=1+1');
  });
});

describe('a history written by schema 1', () => {
  it('gets the levels the window shows: a normal message and a plain status info, a status with a level that level', () => {
    const file = join(dir, 'history.db');
    const old = new DatabaseSync(file);
    old.exec(HISTORY_DDL);
    old.exec('PRAGMA user_version = 1');
    const insert = old.prepare('INSERT INTO history (server_id, event_id, topic, type, level, time, received_at, title, body, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const rows: Array<[HeraldEvent, string | null]> = [
      [notify('a', 'normal message'), 'ok'],
      [notify('a', 'urgent', { priority: 5 }), 'critical'],
      [update('system', { cpu: 12 }), null],
      [update('system', { cpu: 97, level: 'critical' }), null],
      [alert('host/disk', 'ok'), 'ok'],
    ];
    for (const [event, level] of rows) insert.run('local', event.id, event.data.topic, event.type, level, T0, T0, 't', 'b', JSON.stringify(event.data));
    // A row whose data cannot be read keeps its level rather than stopping the upgrade.
    insert.run('local', 'broken', 'a', 'update', null, T0, T0, 't', 'b', '{not json');
    old.close();

    open({ file }).close();
    const db = new DatabaseSync(file);
    expect(db.prepare('SELECT event_id AS id, level FROM history ORDER BY seq').all().map((r) => ({ ...r }))).toEqual([
      ...rows.map(([event], i) => ({ id: event.id, level: ['info', 'critical', 'info', 'critical', 'ok'][i] })),
      { id: 'broken', level: null },
    ]);
    expect({ ...db.prepare('PRAGMA user_version').get() }).toEqual({ user_version: 2 });
    db.close();
  });
});

describe('a file that is not a history database', () => {
  it('is reported with its path and left untouched', () => {
    const file = join(dir, 'history.db');
    writeFileSync(file, 'this is not sqlite, it is a text file with enough bytes to look like a header......');
    const before = readFileSync(file);
    expect(() => open({ file })).toThrowError(/history database .*history\.db cannot be used: .*Move it away/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
