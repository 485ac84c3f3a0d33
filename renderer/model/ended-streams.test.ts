import { describe, expect, it } from 'vitest';
import { endedToShow } from './ended-streams.ts';
import { EventStore } from './event-store.ts';
import { TopicBoard, topicKey } from './topic-board.ts';
import { end, received, update } from '../../test/support/test-events.ts';

describe('which ended streams get a banner', () => {
  const store = new EventStore();
  const board = new TopicBoard();
  board.add(
    store.addLive(
      [
        end('job/old/1', { time: 1_000 }),
        end('job/new/2', { time: 5_000, state: 'failed', exitCode: 1 }),
        end('job/newer/3', { time: 6_000 }),
        update('system', { cpu: 1 }),
      ].map((e) => received(e)),
    ),
  );

  it('shows streams that ended since the window opened, newest first', () => {
    expect(endedToShow(board, 4_000, null).map((e) => e.topic)).toEqual(['job/newer/3', 'job/new/2']);
  });

  it('also shows the picked topic’s end, however old', () => {
    expect(endedToShow(board, 4_000, topicKey('local', 'job/old/1')).map((e) => e.topic)).toEqual(['job/newer/3', 'job/new/2', 'job/old/1']);
  });

  it('forgets a stream that goes on after its end (a new event on the topic)', () => {
    board.add(store.addLive([received(update('job/newer/3', { state: 'queued' }))]));
    expect(endedToShow(board, 4_000, null).map((e) => e.topic)).toEqual(['job/new/2']);
  });
});
