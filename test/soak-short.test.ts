// The soak in CI: 30 s of bench/soak/soak-run.ts (the same code `node bench/soak.ts`
// runs for 10 minutes), with `herald serve` SIGKILLed and restarted every few seconds
// while publishers retry until acknowledged and subscribers drop, stall and resume.
// Every subscriber must end with every event of its topics exactly once, in order,
// and the server's descriptors must not grow beyond its open connections.

import { expect, it } from 'vitest';
import { runSoak } from '../bench/soak/soak-run.ts';
import { unexplainedFds } from '../bench/soak/soak-report.ts';

it('loses, repeats and reorders nothing through SIGKILLs, drops and stalls, and leaks no descriptors', { timeout: 180_000 }, async () => {
  const result = await runSoak({
    durationMs: 30_000,
    killEveryMs: 6_000,
    publishers: 2,
    subscribers: 6,
    eventSourceSubscribers: 2,
    topics: 4,
    publishPauseMs: [20, 60],
    seed: 9,
    catchUpMs: 30_000,
  });
  const lives = result.incarnations.filter((l) => l.start && l.end);
  console.log(
    `soak-short: ${result.events} events, ${result.acknowledged} acknowledged, ${result.kills} kills, ${result.reconnects} reconnects, ` +
      `losses ${result.losses}; RSS first ${lives[0]?.start?.rssKiB} KiB -> last ${lives.at(-1)?.end?.rssKiB} KiB; ` +
      `fds ${lives[0]?.start?.fds} -> ${lives.at(-1)?.end?.fds}`,
  );

  expect(result.caughtUp).toBe(true);
  expect(result.acknowledgedLost).toBe(0);
  expect(result.subscribers.map((s) => ({ name: s.name, missing: s.missing, duplicates: s.duplicates, outOfOrder: s.outOfOrder, gaps: s.gaps, unknown: s.unknown }))).toEqual(
    result.subscribers.map((s) => ({ name: s.name, missing: 0, duplicates: 0, outOfOrder: 0, gaps: 0, unknown: 0 })),
  );
  expect(result.losses).toBe(0);

  // The faults really happened: kills, reconnects, the subscribers' own drops and stalls.
  expect(result.kills).toBeGreaterThanOrEqual(2);
  expect(result.events).toBeGreaterThan(100);
  expect(result.reconnects).toBeGreaterThan(result.kills);
  expect(result.subscribers.reduce((n, s) => n + s.drops, 0)).toBeGreaterThan(0);
  expect(result.subscribers.reduce((n, s) => n + s.stalls, 0)).toBeGreaterThan(0);

  // Flat: within each life, descriptors no open connection explains do not grow, and
  // resident memory stays within half again of where it started.
  expect(lives.length).toBeGreaterThanOrEqual(2);
  for (const life of lives) {
    expect(unexplainedFds(life.end!) - unexplainedFds(life.start!), `life ${life.pid}`).toBeLessThanOrEqual(2);
    expect(life.end!.rssKiB, `life ${life.pid}`).toBeLessThan(life.start!.rssKiB * 1.5);
  }
  expect(unexplainedFds(lives.at(-1)!.end!)).toBeLessThanOrEqual(unexplainedFds(lives[0]!.start!) + 2);
});
