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
});
