import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { EventStore } from './event-store.ts';
import { notify, received } from '../../test/support/test-events.ts';

function unknownResumeGap(topic: string, since: string): HeraldEvent {
  return { id: '0', type: 'gap', data: { topic, time: 1, reason: 'unknown-resume-point', since, lost: null, message: 'history may be incomplete' } };
}

describe('the event store', () => {
  it('keeps each event once, by server and id, so a replay after a reconnect adds nothing', () => {
    const store = new EventStore();
    const first = [received(notify('a', 'one', { id: '1' })), received(notify('a', 'two', { id: '2' }))];
    expect(store.addLive(first)).toHaveLength(2);
    const replay = [received(notify('a', 'two', { id: '2' })), received(notify('a', 'three', { id: '3' }))];
    expect(store.addLive(replay).map((s) => s.event.id)).toEqual(['3']);
    expect(store.items.map((s) => s.event.id)).toEqual(['1', '2', '3']);
  });

  it('tells apart equal ids from different servers', () => {
    const store = new EventStore();
    store.addLive([received(notify('a', 'x', { id: '1' }), 'one'), received(notify('a', 'y', { id: '1' }), 'two')]);
    expect(store.size).toBe(2);
  });

  it('puts stored history before live events, oldest first, without doubling what both hold', () => {
    const store = new EventStore();
    store.addLive([received(notify('a', 'live', { id: '9' }))]);
    const newestFirst = [9, 8, 7].map((n) => received(notify('a', `h${n}`, { id: String(n) })));
    const added = store.addHistory(newestFirst);
    expect(added.map((s) => s.event.id)).toEqual(['7', '8']);
    expect(store.items.map((s) => s.event.id)).toEqual(['7', '8', '9']);
    const seqs = store.items.map((s) => s.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('takes the events of a server whose log was reset as new, though their ids were held, and keeps the old ones', () => {
    const store = new EventStore();
    store.addLive([1, 2, 3].map((n) => received(notify('a', `before ${n}`, { id: String(n) }))));
    store.addLive([received(notify('a', 'elsewhere', { id: '1' }), 'other')]);
    // One gap per topic of the connection, all for the same reset.
    const added = store.addLive([
      received(unknownResumeGap('a', '3')),
      received(unknownResumeGap('b', '3')),
      received(notify('a', 'after 1', { id: '1' })),
      received(notify('a', 'after 2', { id: '2' })),
      received(notify('a', 'after 2', { id: '2' })),
    ]);
    expect(added.map((s) => [s.event.id, s.generation])).toEqual([['0', 1], ['1', 1], ['2', 1]]);
    expect(store.find('local', '1')?.event).toMatchObject({ data: { body: 'after 1' } });
    expect(store.find('other', '1')?.event).toMatchObject({ data: { body: 'elsewhere' } });
    const keys = store.items.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(store.get(store.items[0]!.key)).toBeUndefined();
    expect(store.get(added[1]!.key)).toBe(added[1]);
    // A later reset starts one more generation.
    expect(store.addLive([received(unknownResumeGap('a', '2')), received(notify('a', 'again', { id: '1' }))]).map((s) => s.generation)).toEqual([2, 2]);
  });

  it('forgets an old generation past its capacity without forgetting the new event of the same id', () => {
    const store = new EventStore(4);
    store.addLive([received(notify('a', 'before', { id: '1' })), received(unknownResumeGap('a', '1')), received(notify('a', 'after', { id: '1' }))]);
    store.addLive([received(notify('a', 'x', { id: '2' })), received(notify('a', 'y', { id: '3' }))]);
    expect(store.items.map((s) => s.event.data)).not.toContainEqual(expect.objectContaining({ body: 'before' }));
    expect(store.find('local', '1')?.event).toMatchObject({ data: { body: 'after' } });
    expect(store.addLive([received(notify('a', 'after', { id: '1' }))])).toEqual([]);
  });

  it('forgets the oldest events past its capacity', () => {
    const store = new EventStore(3);
    store.addLive([1, 2, 3, 4, 5].map((n) => received(notify('a', 'x', { id: String(n) }))));
    expect(store.items.map((s) => s.event.id)).toEqual(['3', '4', '5']);
    expect(store.find('local', '1')).toBeUndefined();
    expect(store.find('local', '3')?.event.id).toBe('3');
    expect(() => new EventStore(0)).toThrow(/positive integer/);
  });
});
