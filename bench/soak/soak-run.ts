// One soak run: `herald serve` on a fixed port and data dir, publishers that retry
// until acknowledged, subscribers that drop, stall and resume, and the server
// SIGKILLed and started again every `killEveryMs`. Then publishing stops, every
// subscriber is given time to catch up, the server is stopped cleanly, and its log
// (read straight from the SQLite file) is the truth every subscriber is held to:
// for each topic it asked for, exactly the log's events, once each, in log order;
// and every acknowledged publish is in the log. Bounded in time, 127.0.0.1 only.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { freePort, SoakServer, type Incarnation } from './soak-server.ts';
import { SoakPublisher } from './soak-publisher.ts';
import { EventSourceSoakSubscriber, RawSoakSubscriber, type SoakSubscriber } from './soak-subscriber.ts';
import { seededRandom, sleep } from './seeded-random.ts';

export interface SoakOptions {
  durationMs: number;
  killEveryMs: number;
  publishers: number;
  /** Raw subscribers that drop and stall at random. */
  subscribers: number;
  /** Real `eventsource` clients (they only meet the kills). */
  eventSourceSubscribers: number;
  topics: number;
  /** Pause between one publisher's publishes, [min, max] ms. */
  publishPauseMs: [number, number];
  seed: number;
  /** How long subscribers get to catch up at the end. */
  catchUpMs?: number;
  log?(line: string): void;
}

export interface SubscriberFigures {
  name: string;
  topics: string;
  received: number;
  connects: number;
  drops: number;
  stalls: number;
  /** Events of its topics in the log that it never received. */
  missing: number;
  duplicates: number;
  outOfOrder: number;
  gaps: number;
  /** Received ids that are not in the log at all. */
  unknown: number;
}

export interface SoakResult {
  options: SoakOptions;
  ranMs: number;
  /** Events in the log at the end. */
  events: number;
  acknowledged: number;
  /** Acknowledged publishes missing from the log. */
  acknowledgedLost: number;
  /** Stored without a 201 reaching the publisher (its connection was cut by a kill, then retried). */
  storedUnacknowledged: number;
  publishRetries: number;
  publishFailures: Record<string, number>;
  kills: number;
  reconnects: number;
  subscribers: SubscriberFigures[];
  /** Sum over subscribers of missing + duplicates + outOfOrder + gaps + unknown. */
  losses: number;
  caughtUp: boolean;
  incarnations: Incarnation[];
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const say = options.log ?? (() => {});
  const began = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-soak-'));
  const random = seededRandom(options.seed);
  const server = new SoakServer({
    port: await freePort(),
    dataDir,
    began,
    // Retention far above what a run publishes, so nothing is lost to it; a small
    // queue, so a stalled subscriber is dropped for overflow now and then.
    args: ['--retain-events', '10000000', '--retry-ms', '300', '--heartbeat-sec', '5', '--max-queue-bytes', '65536'],
  });
  const stop = new AbortController();
  try {
    await server.start();
    const topics = Array.from({ length: options.topics }, (_, i) => `soak/t${i}`);
    const subscribers: SoakSubscriber[] = [];
    for (let i = 0; i < options.subscribers; i++) {
      // Some ask for every topic with a pattern, others for a few by name.
      const wanted = i % 3 === 0 ? 'soak/*' : topics.filter((_, t) => (t + i) % 2 === 0).join(',');
      subscribers.push(new RawSoakSubscriber({ name: `raw-${i}`, url: server.url, topics: wanted, random: seededRandom(options.seed + 1000 + i), chaos: true }));
    }
    for (let i = 0; i < options.eventSourceSubscribers; i++) {
      subscribers.push(new EventSourceSoakSubscriber({ name: `eventsource-${i}`, url: server.url, topics: i % 2 === 0 ? 'soak/*' : topics.slice(0, 2).join(',') }));
    }
    const publishers = Array.from(
      { length: options.publishers },
      (_, i) => new SoakPublisher({ name: `pub-${i}`, url: server.url, topics, pauseMs: options.publishPauseMs, random: seededRandom(options.seed + 2000 + i) }),
    );
    const subscribing = subscribers.map((s) => s.run(stop.signal));
    const publishing = new AbortController();
    const publishingDone = Promise.all(publishers.map((p) => p.run(publishing.signal)));

    // The kill loop: sample each life shortly after it starts and just before it ends.
    const sampleAfterMs = Math.min(3000, options.killEveryMs / 3);
    let kills = 0;
    await sleep(sampleAfterMs);
    await server.sample('start');
    for (;;) {
      const left = options.durationMs - (Date.now() - began);
      if (left <= 0) break;
      await sleep(Math.min(left, options.killEveryMs - sampleAfterMs));
      // Timers may fire a hair early: no kill in the run's last second.
      if (options.durationMs - (Date.now() - began) < 1000) break;
      await server.sample('end');
      await server.kill();
      kills++;
      say(`kill ${kills} at ${((Date.now() - began) / 1000).toFixed(1)} s; ${publishers.reduce((n, p) => n + p.acked.length, 0)} acknowledged so far`);
      await server.start();
      await sleep(sampleAfterMs);
      await server.sample('start');
    }

    publishing.abort();
    await publishingDone;
    const latest = await latestIds(server.url, topics);
    const catchUpMs = options.catchUpMs ?? 30_000;
    const deadline = Date.now() + catchUpMs;
    let caughtUp = false;
    while (Date.now() < deadline && !(caughtUp = subscribers.every((s) => s.record.caughtUp(latest, (t) => s.matches(t))))) await sleep(200);
    say(caughtUp ? 'every subscriber caught up' : `not every subscriber caught up within ${catchUpMs / 1000} s`);
    await server.sample('end');
    stop.abort();
    await Promise.all(subscribing);
    await server.stop();

    const log = readLog(join(dataDir, 'events.sqlite'));
    return summarize(options, Date.now() - began, log, publishers, subscribers, kills, caughtUp, server.incarnations);
  } finally {
    stop.abort();
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each topic's newest id, from GET /topics. */
async function latestIds(url: string, topics: readonly string[]): Promise<Map<string, string>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const list = (await (await fetch(`${url}/topics`, { signal: AbortSignal.timeout(5000) })).json()) as Array<{ topic: string; lastId: string }>;
      return new Map(list.filter((t) => topics.includes(t.topic)).map((t) => [t.topic, t.lastId]));
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(250);
    }
  }
}

/** The stored events of every soak topic, in log order. */
function readLog(file: string): Map<string, string[]> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const byTopic = new Map<string, string[]>();
    // Only the soak's topics: `herald serve` also runs its system source.
    for (const row of db.prepare("SELECT id, topic FROM events WHERE topic LIKE 'soak/%' ORDER BY id").iterate() as Iterable<{ id: number; topic: string }>) {
      let ids = byTopic.get(row.topic);
      if (ids === undefined) byTopic.set(row.topic, (ids = []));
      ids.push(String(row.id));
    }
    return byTopic;
  } finally {
    db.close();
  }
}

function summarize(
  options: SoakOptions,
  ranMs: number,
  log: Map<string, string[]>,
  publishers: SoakPublisher[],
  subscribers: SoakSubscriber[],
  kills: number,
  caughtUp: boolean,
  incarnations: Incarnation[],
): SoakResult {
  const logIds = new Map<string, Set<string>>([...log].map(([topic, ids]) => [topic, new Set(ids)]));
  const acked = publishers.flatMap((p) => p.acked);
  const acknowledgedLost = acked.filter((a) => !logIds.get(a.topic)?.has(a.id)).length;
  const events = [...log.values()].reduce((n, ids) => n + ids.length, 0);
  const publishFailures: Record<string, number> = {};
  for (const p of publishers) for (const [why, n] of p.failures) publishFailures[why] = (publishFailures[why] ?? 0) + n;
  const figures = subscribers.map((s): SubscriberFigures => {
    let missing = 0;
    let unknown = 0;
    let received = 0;
    for (const [topic, ids] of log) {
      if (!s.matches(topic)) continue;
      const got = new Set(s.record.byTopic.get(topic) ?? []);
      missing += ids.filter((id) => !got.has(id)).length;
    }
    for (const [topic, ids] of s.record.byTopic) {
      received += ids.length;
      const stored = logIds.get(topic);
      unknown += ids.filter((id) => !stored?.has(id)).length;
    }
    return {
      name: s.name,
      topics: s.topics,
      received,
      connects: s.connects,
      drops: s.drops,
      stalls: s.stalls,
      missing,
      duplicates: s.record.duplicates,
      outOfOrder: s.record.outOfOrder,
      gaps: s.record.gaps,
      unknown,
    };
  });
  return {
    options,
    ranMs,
    events,
    acknowledged: acked.length,
    acknowledgedLost,
    storedUnacknowledged: events - (acked.length - acknowledgedLost),
    publishRetries: publishers.reduce((n, p) => n + p.retries, 0),
    publishFailures,
    kills,
    reconnects: figures.reduce((n, f) => n + Math.max(0, f.connects - 1), 0),
    subscribers: figures,
    losses: figures.reduce((n, f) => n + f.missing + f.duplicates + f.outOfOrder + f.gaps + f.unknown, 0) + acknowledgedLost,
    caughtUp,
    incarnations,
  };
}
