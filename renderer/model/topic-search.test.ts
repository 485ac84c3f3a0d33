import { describe, expect, it } from 'vitest';
import { EventStore } from './event-store.ts';
import { searchWords } from './event-filter.ts';
import { TopicBoard } from './topic-board.ts';
import { topicsMatching } from './topic-search.ts';
import { notify, received, update } from '../../test/support/test-events.ts';

describe('searching the side list', () => {
  it('keeps the topics whose name, latest value or latest event holds every word, in order, and follows new values', () => {
    const store = new EventStore();
    const board = new TopicBoard();
    board.add(store.addLive([received(update('fleet/host-1', { disk: 'full' })), received(notify('fleet/host-2', 'all fine')), received(notify('ci/main', 'Disk FULL on runner'))]));
    const names = (text: string) => topicsMatching(board.entries(), searchWords(text)).map((e) => e.topic);
    expect(names('')).toEqual(['ci/main', 'fleet/host-1', 'fleet/host-2']);
    expect(names('host')).toEqual(['fleet/host-1', 'fleet/host-2']);
    expect(names('disk full')).toEqual(['ci/main', 'fleet/host-1']);
    expect(names('host-2 fine')).toEqual(['fleet/host-2']);
    board.add(store.addLive([received(update('fleet/host-1', { disk: 'ok' }))]));
    expect(names('disk full')).toEqual(['ci/main']);
    expect(topicsMatching(board.entries(), [])).toBe(board.entries());
  });
});
