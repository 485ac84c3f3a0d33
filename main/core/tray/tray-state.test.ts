import { describe, expect, it } from 'vitest';
import type { HeraldEvent, Level } from '../../../server/protocol/events.ts';
import type { ConnectionState, ServerSnapshot } from '../subscriptions/subscription-state.ts';
import { TopicBoard } from './topic-board.ts';
import { TOOLTIP_MAX, trayState, type TrayInput } from './tray-state.ts';

const NOW = Date.UTC(2025, 0, 6, 12, 0, 0);
const formatTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function server(id: string, connection: ConnectionState, name = id): ServerSnapshot {
  return { serverId: id, name, url: `http://127.0.0.1/${id}`, connection, topics: {}, ended: {}, lastEventId: null };
}
const live = (id: string) => server(id, { kind: 'live' });

let n = 0;
function alert(topic: string, level: Level, minutesAgo = 0): HeraldEvent {
  return { id: String(++n), type: 'alert', data: { topic, time: NOW - minutesAgo * 60_000, level, message: `${topic} ${level}` } };
}

function input(board: TopicBoard, servers: ServerSnapshot[], paused: string | null = null): TrayInput {
  return { servers, levels: board.levels(), recent: board.recent(), paused, now: NOW, formatTime };
}

describe('tray level', () => {
  it('is ok when every server is live and nothing alerts', () => {
    const board = new TopicBoard();
    board.apply('a', alert('disk', 'ok'));
    expect(trayState(input(board, [live('a')]))).toMatchObject({ level: 'ok', tooltip: 'Herald: all ok' });
  });

  it('is the worst alert level over watched topics, and a recovery clears it', () => {
    const board = new TopicBoard();
    board.apply('a', alert('disk', 'warn'));
    expect(trayState(input(board, [live('a')])).tooltip).toBe('Herald: warning: disk');
    board.apply('a', alert('cpu', 'critical'));
    expect(trayState(input(board, [live('a')]))).toMatchObject({ level: 'critical', tooltip: 'Herald: critical: cpu, 1 warning' });
    board.apply('a', alert('cpu', 'ok'));
    board.apply('a', alert('disk', 'ok'));
    expect(trayState(input(board, [live('a')])).level).toBe('ok');
  });

  it('keeps the same topic name on two servers apart', () => {
    const board = new TopicBoard();
    board.apply('a', alert('disk', 'critical'));
    board.apply('b', alert('disk', 'ok'));
    expect(trayState(input(board, [live('a'), live('b')])).level).toBe('critical');
  });

  it('is disconnected when a server is not live, unless something is known to be critical', () => {
    const board = new TopicBoard();
    board.apply('a', alert('disk', 'warn'));
    const down = server('b', { kind: 'reconnecting', retryAt: NOW + 4200, reason: 'connection lost: ECONNREFUSED' }, 'Build box');
    expect(trayState(input(board, [live('a'), down]))).toMatchObject({
      level: 'disconnected',
      tooltip: 'Herald: Build box: reconnecting in 5s (connection lost: ECONNREFUSED)',
    });
    board.apply('a', alert('cpu', 'critical'));
    expect(trayState(input(board, [live('a'), down])).level).toBe('critical');
  });

  it('is disconnected with no servers at all, and not for a server whose topics all ended', () => {
    expect(trayState(input(new TopicBoard(), []))).toMatchObject({ level: 'disconnected', tooltip: 'Herald: no servers to watch' });
    expect(trayState(input(new TopicBoard(), [server('a', { kind: 'closed', reason: 'every topic has ended' })])).level).toBe('ok');
  });

  it('stops counting a topic once it ended', () => {
    const board = new TopicBoard();
    board.apply('a', alert('job/x', 'critical'));
    board.apply('a', { id: 'e', type: 'end', data: { topic: 'job/x', time: NOW, state: 'failed', exitCode: 1, durationMs: 1, summary: 'x' } });
    expect(trayState(input(board, [live('a')])).level).toBe('ok');
  });
});

describe('tooltip and menu', () => {
  it('says when notifications are paused', () => {
    expect(trayState(input(new TopicBoard(), [live('a')], 'Notifications paused until 13:00')).tooltip).toBe(
      'Herald: all ok · Notifications paused until 13:00',
    );
  });

  it('keeps the tooltip within what Windows shows', () => {
    const down = server('b', { kind: 'failed', reason: 'x'.repeat(300) });
    const { tooltip } = trayState(input(new TopicBoard(), [down]));
    expect(tooltip.length).toBe(TOOLTIP_MAX);
    expect(tooltip.endsWith('…')).toBe(true);
  });

  it('lists servers with a Connect entry for failed and waiting ones', () => {
    const servers = [live('a'), server('b', { kind: 'failed', reason: 'the server refused the token (HTTP 401)' }), server('c', { kind: 'reconnecting', retryAt: NOW, reason: 'x' })];
    expect(trayState(input(new TopicBoard(), servers)).servers).toEqual([
      { serverId: 'a', label: 'a: live', canConnect: false },
      { serverId: 'b', label: 'b: failed: the server refused the token (HTTP 401)', canConnect: true },
      { serverId: 'c', label: 'c: reconnecting in 0s (x)', canConnect: true },
    ]);
  });

  it('lists recent events newest first, without status updates, at most ten', () => {
    const board = new TopicBoard();
    for (let i = 0; i < 12; i++) board.apply('a', alert(`t${i}`, 'warn', 12 - i));
    board.apply('a', { id: 'u', type: 'update', data: { topic: 'price', time: NOW, status: { v: 1 } } });
    board.apply('a', { id: 'm', type: 'notify', data: { topic: 'backup', time: NOW, title: 'Backup done', body: 'ok', priority: 3, tags: [] } });
    const { recent } = trayState(input(board, [live('a')]));
    expect(recent).toHaveLength(10);
    expect(recent[0]).toEqual({ serverId: 'a', eventId: 'm', label: '12:00  Backup done', level: 'info' });
    expect(recent[1]).toEqual({ serverId: 'a', eventId: String(n), label: '11:59  Warning: t11', level: 'warn' });
  });

  it('gives a recent event the level the history and the window give it', () => {
    const board = new TopicBoard();
    board.apply('a', { id: 'e', type: 'end', data: { topic: 'job/x', time: NOW, state: 'failed', exitCode: 1, durationMs: 1, summary: 'x' } });
    board.apply('a', { id: 'm', type: 'notify', data: { topic: 'ci', time: NOW, body: 'red', priority: 4, tags: [] } });
    expect(trayState(input(board, [live('a')])).recent.map((r) => [r.label, r.level])).toEqual([
      ['12:00  ci', 'warn'],
      ['12:00  job/x failed', 'critical'],
    ]);
  });

  it('forgets a removed server', () => {
    const board = new TopicBoard();
    board.apply('gone', alert('disk', 'critical'));
    board.forgetServer('gone');
    expect(board.levels()).toEqual([]);
    expect(board.recent()).toEqual([]);
  });
});
