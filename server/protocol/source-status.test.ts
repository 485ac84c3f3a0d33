// Sources: which source a topic is, the level its events leave it at, and the one
// line that the overview's header and the tray both say.

import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from './events.ts';
import { compareSources, SourceLevels, sourceOfTopic, summarizeSources, worstSourceNames, type SourceState } from './source-status.ts';

let n = 0;
const at = (time: number) => ({ time });
const update = (topic: string, status: Record<string, unknown>, time = 1): HeraldEvent => ({ id: String(++n), type: 'update', data: { topic, status, ...at(time) } });
const alert = (topic: string, level: 'ok' | 'warn' | 'critical', metric: string, message = `${metric} ${level}`): HeraldEvent => ({
  id: String(++n),
  type: 'alert',
  data: { topic, time: 1, level, metric, message },
});
const end = (topic: string, state: 'succeeded' | 'failed' | 'cancelled', exitCode: number | null): HeraldEvent => ({
  id: String(++n),
  type: 'end',
  data: { topic, time: 1, state, exitCode, durationMs: 1500, summary: '' },
});
const notify = (topic: string, priority: number): HeraldEvent => ({ id: String(++n), type: 'notify', data: { topic, time: 1, body: 'hi', priority, tags: [] } });

function levels(events: HeraldEvent[]): SourceLevels {
  const board = new SourceLevels();
  for (const event of events) board.apply('s', event);
  return board;
}

describe('sourceOfTopic', () => {
  it('names the system, probes, jobs (all runs one source) and message topics', () => {
    expect(sourceOfTopic('system')).toEqual({ id: 'system', kind: 'system', name: 'system' });
    expect(sourceOfTopic('probe/site')).toEqual({ id: 'probe/site', kind: 'probe', name: 'site' });
    expect(sourceOfTopic('job/backup/17')).toEqual({ id: 'job/backup', kind: 'job', name: 'backup' });
    expect(sourceOfTopic('job/backup')).toEqual({ id: 'job/backup', kind: 'topic', name: 'job/backup' });
    expect(sourceOfTopic('probe/a/b')).toEqual({ id: 'probe/a/b', kind: 'topic', name: 'probe/a/b' });
    expect(sourceOfTopic('deploy/prod')).toEqual({ id: 'deploy/prod', kind: 'topic', name: 'deploy/prod' });
  });
});

describe('SourceLevels', () => {
  it('takes the level of the latest status, with the failing probe’s error as the reason', () => {
    const board = levels([update('probe/site', { ok: true, level: 'ok' }), update('probe/site', { ok: false, level: 'critical', error: 'connection refused' })]);
    expect(board.get('s', 'probe/site')).toMatchObject({ level: 'critical', reason: 'connection refused' });
    board.apply('s', update('probe/site', { ok: true, level: 'ok' }));
    expect(board.get('s', 'probe/site')).toMatchObject({ level: 'ok', reason: '' });
  });

  it('without a status level: the worst alert, latest per metric (a recovered metric does not hide another)', () => {
    const board = levels([alert('host', 'critical', 'cpu'), alert('host', 'warn', 'memory'), alert('host', 'ok', 'cpu')]);
    expect(board.get('s', 'host')).toMatchObject({ level: 'warn', reason: 'memory warn' });
    board.apply('s', alert('host', 'ok', 'memory'));
    expect(board.get('s', 'host')?.level).toBe('ok');
  });

  it('gives a job the level of its last finished run; a run going on changes nothing', () => {
    const board = levels([end('job/backup/1', 'failed', 3)]);
    expect(board.get('s', 'job/backup')).toMatchObject({ level: 'critical', reason: 'run 1 failed, exit code 3, 1.5 s' });
    expect(board.apply('s', update('job/backup/2', { state: 'running', progress: 0.5 }))).toBe(false);
    expect(board.get('s', 'job/backup')?.level).toBe('critical');
    board.apply('s', end('job/backup/2', 'succeeded', 0));
    expect(board.get('s', 'job/backup')?.level).toBe('ok');
  });

  it('a message topic has no verdict (messages do not make a source unhealthy), nor has a topic once it ended', () => {
    const board = levels([notify('deploy', 5), alert('run/make', 'critical', 'exit'), end('run/make', 'failed', 2)]);
    expect(board.get('s', 'deploy')?.level).toBe('info');
    expect(board.get('s', 'run/make')).toMatchObject({ level: 'info', reason: 'ended: failed, exit code 2, 1.5 s' });
    // Started again, it starts clean: the alarm before the end is gone.
    board.apply('s', update('run/make', { state: 'running' }));
    expect(board.get('s', 'run/make')?.level).toBe('info');
    board.apply('s', alert('run/make', 'warn', 'exit'));
    expect(board.get('s', 'run/make')?.level).toBe('warn');
  });

  it('says when a level changed, and keeps servers apart', () => {
    const board = new SourceLevels();
    expect(board.apply('a', update('system', { level: 'ok' }, 10))).toBe(true);
    expect(board.apply('a', update('system', { level: 'ok' }, 20))).toBe(false);
    expect(board.apply('a', update('system', { level: 'warn' }, 30))).toBe(true);
    expect(board.get('a', 'system')?.since).toBe(30);
    board.apply('b', update('system', { level: 'critical' }));
    expect(board.states().map((s) => `${s.server}:${s.level}`).sort()).toEqual(['a:warn', 'b:critical']);
    board.forgetServer('b');
    expect(board.size).toBe(1);
  });
});

describe('SourceLevels, edge by edge', () => {
  const gap = (topic: string): HeraldEvent => ({ id: String(++n), type: 'gap', data: { topic, time: 1, reason: 'retention', since: '1', lost: 2, message: 'lost 2' } });

  it('a topic only a job run has when it has exactly three parts', () => {
    expect(sourceOfTopic('job/backup/17/x')).toEqual({ id: 'job/backup/17/x', kind: 'topic', name: 'job/backup/17/x' });
  });

  it('remembers the state of the last event given, until cleared or its server is forgotten', () => {
    const board = new SourceLevels();
    expect(board.lastState).toBeNull();
    board.forgetServer('nobody'); // nothing given yet: nothing to forget, no throw
    board.apply('a', update('probe/site', { level: 'warn', error: 'slow' }));
    board.apply('b', notify('deploy', 3));
    expect(board.lastState).toMatchObject({ server: 'b', source: { id: 'deploy' } });
    board.forgetServer('a');
    expect(board.lastState).toMatchObject({ server: 'b' });
    board.forgetServer('b');
    expect(board.lastState).toBeNull();
    board.apply('a', notify('deploy', 3));
    board.apply('c', notify('deploy', 3));
    expect(board.size).toBe(2);
    board.clear();
    expect([board.size, board.lastState, board.states()]).toEqual([0, null, []]);
  });

  it('knows nothing of a server or a source it was never given', () => {
    const board = levels([notify('deploy', 3)]);
    expect(board.get('other', 'deploy')).toBeUndefined();
    expect(board.get('s', 'other')).toBeUndefined();
  });

  it('says a new source is new even when its first event decides nothing; a later one that changes no level says false, and keeps since', () => {
    const board = new SourceLevels();
    expect(board.apply('s', notify('deploy', 5))).toBe(true);
    expect(board.get('s', 'deploy')).toMatchObject({ level: 'info', reason: '' });
    expect(board.apply('s', notify('deploy', 5))).toBe(false);
    expect(board.apply('s', alert('host', 'warn', 'cpu', 'cpu hot'))).toBe(true);
    expect(board.apply('s', update('host', { level: 'warn', error: 'cpu hot' }, 50))).toBe(false);
    expect(board.get('s', 'host')).toMatchObject({ level: 'warn', since: 1 });
  });

  it('a gap does not start an ended topic again; any other event does, and it loses the ended reason', () => {
    const board = levels([alert('run/make', 'critical', 'exit'), end('run/make', 'failed', 2)]);
    board.apply('s', gap('run/make'));
    expect(board.get('s', 'run/make')?.reason).toBe('ended: failed, exit code 2, 1.5 s');
    board.apply('s', notify('run/make', 3));
    expect(board.get('s', 'run/make')).toMatchObject({ level: 'info', reason: '' });
  });

  it('takes only a string error as the reason, and follows a new error at the same level', () => {
    const board = levels([update('probe/a', { level: 'critical', error: 42 })]);
    expect(board.get('s', 'probe/a')).toMatchObject({ level: 'critical', reason: '' });
    board.apply('s', update('probe/a', { level: 'critical', error: 'refused' }));
    expect(board.get('s', 'probe/a')?.reason).toBe('refused');
    board.apply('s', update('probe/a', { level: 'critical', error: 'timed out' }));
    expect(board.get('s', 'probe/a')?.reason).toBe('timed out');
  });

  it('with a status level, the reason is the worst alert that is not ok, else the status error, and none when the status is ok', () => {
    const board = levels([update('probe/a', { level: 'critical', error: 'refused' }), alert('probe/a', 'ok', 'disk', 'disk fine')]);
    expect(board.get('s', 'probe/a')?.reason).toBe('refused');
    board.apply('s', alert('probe/a', 'warn', 'disk', 'disk 91%'));
    expect(board.get('s', 'probe/a')).toMatchObject({ level: 'critical', reason: 'disk 91%' });
    board.apply('s', update('probe/a', { level: 'ok' }));
    expect(board.get('s', 'probe/a')).toMatchObject({ level: 'ok', reason: '' });
  });

  it('without a status, the worst alert wins whatever came after it, and all alerts ok say no reason', () => {
    const board = levels([alert('host', 'critical', 'cpu', 'cpu 99%'), alert('host', 'warn', 'memory', 'memory 80%')]);
    expect(board.get('s', 'host')).toMatchObject({ level: 'critical', reason: 'cpu 99%' });
    const fine = levels([alert('host', 'ok', 'cpu', 'cpu 10%')]);
    expect(fine.get('s', 'host')).toMatchObject({ level: 'ok', reason: '' });
  });
});

const state = (id: string, level: SourceState['level']): SourceState => ({ server: 's', source: sourceOfTopic(id), level, reason: '', since: 0 });

describe('summarizeSources', () => {
  it('says all is well, or how many need attention, worst first', () => {
    expect(summarizeSources([])).toMatchObject({ level: 'info', text: 'No sources yet' });
    expect(summarizeSources([state('system', 'ok')]).text).toBe('1 source OK');
    const fine = ['system', 'probe/a', 'probe/b', 'job/x/1', 'deploy', 'ci', 'news'].map((id) => state(id, id === 'deploy' ? 'info' : 'ok'));
    expect(summarizeSources(fine)).toMatchObject({ level: 'ok', text: 'All 7 sources OK', total: 7, attention: [] });
    const bad = [...fine.slice(2), state('probe/a', 'warn'), state('system', 'critical')];
    const summary = summarizeSources(bad);
    expect(summary).toMatchObject({ level: 'critical', text: '2 need attention', total: 7 });
    expect(summary.attention.map((s) => s.source.id)).toEqual(['system', 'probe/a']);
    expect(summarizeSources([state('probe/a', 'warn')]).text).toBe('1 needs attention');
    expect(worstSourceNames(summary)).toBe('system, probe/a');
    expect(worstSourceNames(summarizeSources(['a', 'b', 'c', 'd', 'e'].map((id) => state(id, 'warn'))), 3)).toBe('a, b, c and 2 more');
  });

  it('orders sources worst first, then system, probes, jobs, topics, then by name', () => {
    const sorted = [state('zeta', 'ok'), state('probe/b', 'ok'), state('job/j/1', 'warn'), state('system', 'ok'), state('probe/a', 'ok'), state('alpha', 'critical')].sort(compareSources);
    expect(sorted.map((s) => s.source.id)).toEqual(['alpha', 'job/j', 'system', 'probe/a', 'probe/b', 'zeta']);
  });

  it('puts a source with no verdict among the ok ones, by name; the same source on two servers by server', () => {
    const ok = state('beta', 'ok');
    const none = state('alpha', 'info');
    expect([compareSources(none, ok), compareSources(ok, none)]).toEqual([-1, 1]);
    expect(compareSources(ok, ok)).toBe(0);
    const onA = { ...state('probe/a', 'warn'), server: 'a' };
    const onB = { ...state('probe/a', 'warn'), server: 'b' };
    expect([compareSources(onA, onB), compareSources(onB, onA), compareSources(onA, { ...onA })]).toEqual([-1, 1, 0]);
  });

  it('names all the sources when there are exactly as many as it may name', () => {
    expect(worstSourceNames(summarizeSources(['a', 'b', 'c'].map((id) => state(id, 'warn'))), 3)).toBe('a, b, c');
  });
});
