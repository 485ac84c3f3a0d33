import { describe, expect, it } from 'vitest';
import { EventStore } from './event-store.ts';
import { notify, received } from '../../test/support/test-events.ts';

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

  it('forgets the oldest events past its capacity', () => {
    const store = new EventStore(3);
    store.addLive([1, 2, 3, 4, 5].map((n) => received(notify('a', 'x', { id: String(n) }))));
    expect(store.items.map((s) => s.event.id)).toEqual(['3', '4', '5']);
    expect(store.find('local', '1')).toBeUndefined();
    expect(store.find('local', '3')?.event.id).toBe('3');
    expect(() => new EventStore(0)).toThrow(/positive integer/);
  });
});
