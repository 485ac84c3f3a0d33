import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { searchTextOf } from '../../server/protocol/event-vocabulary.ts';
import { EventStore } from './event-store.ts';
import { SearchWarmer, type IdleDeadline } from './search-warmer.ts';

function notify(n: number): { server: string; event: HeraldEvent } {
  return { server: 'local', event: { id: String(n), type: 'notify', data: { topic: `fleet/host-${n}`, time: n, title: `Build ${n}`, body: 'done', priority: 3, tags: ['ci'] } } };
}

/** An idle moment that allows `looks` looks at the clock before it is over. */
const moment = (looks: number): IdleDeadline => ({ timeRemaining: () => (looks-- > 0 ? 10 : 0) });

describe('search text made in idle time', () => {
  it('makes every event’s search text a slice at a time, only when idle, and goes on at the next idle moment', () => {
    const store = new EventStore();
    const idle: Array<(deadline: IdleDeadline) => void> = [];
    const warmer = new SearchWarmer((work) => idle.push(work));
    const history = store.addHistory(Array.from({ length: 500 }, (_, i) => notify(500 - i)));
    warmer.add(history);
    warmer.add(store.addLive([notify(501), notify(502)]));
    expect(idle).toHaveLength(1); // one request for both batches
    expect(store.items.every((s) => s.searchText === null)).toBe(true); // nothing before the window is idle

    idle.shift()!(moment(2)); // room for two slices, then the moment is over
    const made = store.items.filter((s) => s.searchText !== null).length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(502);
    expect(warmer.pending).toBe(502 - made);
    expect(idle).toHaveLength(1); // asked for the next idle moment

    while (idle.length > 0) idle.shift()!(moment(100));
    expect(warmer.pending).toBe(0);
    for (const stored of store.items) expect(stored.searchText).toBe(searchTextOf(stored.event));
  });

  it('works no longer than its budget in one idle moment, however long the moment', () => {
    const store = new EventStore();
    const idle: Array<(deadline: IdleDeadline) => void> = [];
    let clock = 0;
    // Each look at the clock moves it 1 ms on: a slice of events "takes" 1 ms.
    const warmer = new SearchWarmer((work) => idle.push(work), () => clock++);
    warmer.add(store.addHistory(Array.from({ length: 2000 }, (_, i) => notify(2000 - i))));
    idle.shift()!(moment(1000));
    const made = store.items.filter((s) => s.searchText !== null).length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(4 * 64);
    expect(idle).toHaveLength(1);
  });

  it('forgets what is pending when cleared or stopped, and asks for nothing more', () => {
    const store = new EventStore();
    const idle: Array<(deadline: IdleDeadline) => void> = [];
    const warmer = new SearchWarmer((work) => idle.push(work));
    warmer.add(store.addLive([notify(1), notify(2)]));
    warmer.clear();
    idle.shift()!(moment(100));
    expect(store.items.every((s) => s.searchText === null)).toBe(true);
    expect(idle).toHaveLength(0);
    warmer.stop();
    warmer.add(store.addLive([notify(3)]));
    expect(idle).toHaveLength(0);
  });
});
