import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../../main/ipc/bridge.ts';
import { EventStore } from './event-store.ts';
import { latestValueOf, TopicBoard, topicStateOf } from './topic-board.ts';
import { alert, end, notify, received, update } from '../../test/support/test-events.ts';

function board(...events: Parameters<typeof received>[0][]): TopicBoard {
  const store = new EventStore();
  const b = new TopicBoard();
  b.add(store.addLive(events.map((e) => received(e))));
  return b;
}

const server = (connection: ServerStatus['connection']): ServerStatus => ({ server: 'local', label: 'local', url: 'http://127.0.0.1:1', connection, ended: {} });

describe('the topic side list', () => {
  it('keeps each topic’s latest value: its status, alert value or message', () => {
    const b = board(update('system', { cpu: 10 }), update('system', { cpu: 20 }), alert('probe/site', 'warn', 'slow', { metric: 'latencyMs', value: 900 }), notify('ci', 'done', { title: 'Build' }));
    expect(latestValueOf(b.get('local', 'system')!)).toBe('cpu=20');
    expect(b.get('local', 'system')?.count).toBe(2);
    expect(latestValueOf(b.get('local', 'probe/site')!)).toBe('latencyMs 900');
    expect(b.get('local', 'probe/site')?.level).toBe('warn');
    expect(latestValueOf(b.get('local', 'ci')!)).toBe('Build: done');
    expect(b.entries().map((e) => e.topic)).toEqual(['ci', 'probe/site', 'system']);
  });

  it('shows a live topic as its connection: live, reconnecting in N s, failed with the reason', () => {
    const b = board(update('system', { cpu: 10 }));
    const entry = b.get('local', 'system')!;
    expect(topicStateOf(entry, server({ kind: 'live' }), 0).text).toBe('live');
    expect(topicStateOf(entry, server({ kind: 'reconnecting', retryAt: 3_200, reason: 'lost' }), 0).text).toBe('reconnecting in 4 s');
    expect(topicStateOf(entry, server({ kind: 'failed', reason: 'token rejected' }), 0)).toEqual({
      kind: 'failed',
      text: 'failed: token rejected',
      parts: ['failed: ', { user: 'token rejected' }],
    });
  });

  it('shows an ended topic with its result, whatever the connection does', () => {
    const b = board(update('job/a/1', { state: 'running' }), end('job/a/1', { state: 'failed', exitCode: 3, durationMs: 2000, summary: 'boom' }));
    const entry = b.get('local', 'job/a/1')!;
    expect(latestValueOf(entry)).toBe('state=running');
    expect(topicStateOf(entry, server({ kind: 'reconnecting', retryAt: 0, reason: 'x' }), 0)).toEqual({
      kind: 'ended',
      text: 'ended: failed, exit code 3, 2.0 s: boom',
      parts: ['ended: ', 'failed, exit code 3, 2.0 s', ': ', { user: 'boom' }],
    });
  });

  it('keeps entries sorted as topics appear one by one or by the thousand, and says when the set changed', () => {
    const store = new EventStore(200_000);
    const b = new TopicBoard();
    b.add(store.addLive(['m', 'c', 'x'].map((t) => received(update(t, { v: 1 })))));
    const version = b.version;
    b.add(store.addLive([received(update('c', { v: 2 }))]));
    expect(b.version).toBe(version);
    const many = Array.from({ length: 3000 }, (_, i) => received(update(`t/${(i * 7919) % 3000}`, { v: i })));
    b.add(store.addLive(many));
    b.add(store.addLive([received(update('a', { v: 1 })), received(update('t/1500b', { v: 1 }))]));
    const topics = b.entries().map((e) => e.topic);
    expect(topics).toHaveLength(3005);
    expect(topics).toEqual([...topics].sort((x, y) => x.localeCompare(y)));
    expect(b.version).toBeGreaterThan(version);
    b.clear();
    expect(b.entries()).toEqual([]);
  });

  it('does not let an older history event replace a newer one', () => {
    const store = new EventStore();
    const b = new TopicBoard();
    b.add(store.addLive([received(update('system', { cpu: 50 }))]));
    b.add(store.addHistory([received(update('system', { cpu: 1 }))]));
    expect(latestValueOf(b.get('local', 'system')!)).toBe('cpu=50');
    expect(b.get('local', 'system')?.count).toBe(2);
  });
});
