import { describe, expect, it } from 'vitest';
import { endResultText, formatDuration, levelOf, searchTextOf, summaryOf, summaryParts } from './event-description.ts';
import { alert, end, notify, update } from './test-events.ts';

describe('how an event reads', () => {
  it('takes the level from alerts, end states, message priority and a status level', () => {
    expect(levelOf(alert('system', 'critical', 'cpu high'))).toBe('critical');
    expect(levelOf(end('job/a/1', { state: 'succeeded' }))).toBe('ok');
    expect(levelOf(end('job/a/1', { state: 'failed', exitCode: 3 }))).toBe('critical');
    expect(levelOf(end('job/a/1', { state: 'timed-out' }))).toBe('critical');
    expect(levelOf(end('job/a/1', { state: 'cancelled' }))).toBe('warn');
    expect(levelOf(notify('ci', 'x', { priority: 5 }))).toBe('critical');
    expect(levelOf(notify('ci', 'x', { priority: 4 }))).toBe('warn');
    expect(levelOf(notify('ci', 'x', { priority: 3 }))).toBe('info');
    expect(levelOf(update('probe/site', { level: 'warn', latencyMs: 900 }))).toBe('warn');
    expect(levelOf(update('probe/site', { level: 'bogus' }))).toBe('info');
  });

  it('summarises each type on one line: title and body, changed fields, the end result', () => {
    expect(summaryOf(notify('ci', 'all green', { title: 'Build 12' }))).toBe('Build 12: all green');
    expect(summaryOf(update('job/a/1', { state: 'running', progress: 0.4213, line: 'x' }, { changed: ['progress'] }))).toBe('progress=0.42');
    expect(summaryOf(update('system', { cpu: 12 }))).toBe('cpu=12');
    expect(summaryOf(end('job/a/1', { state: 'failed', exitCode: 3, durationMs: 12_000, summary: 'tests failed' }))).toBe(
      'failed, exit code 3, 12 s: tests failed',
    );
  });

  it('keeps publisher text apart from Herald’s words, so the view can isolate each piece', () => {
    expect(summaryParts(notify('ci', 'body', { title: 'Invoice \u202efdp.exe' }))).toEqual([{ user: 'Invoice \u202efdp.exe' }, ': ', { user: 'body' }]);
    expect(summaryParts(update('s', { name: 'x', next: 2 }))).toEqual([{ user: 'name' }, '=', { user: 'x' }, ', ', { user: 'next' }, '=', { user: '2' }]);
    expect(summaryParts(alert('s', 'warn', 'slow'))).toEqual([{ user: 'slow' }]);
    expect(summaryParts(end('j', { state: 'failed', exitCode: 1, durationMs: 1000, summary: 'boom' }))).toEqual(['failed, exit code 1, 1.0 s', ': ', { user: 'boom' }]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(2 * 3600_000 + 60_000)).toBe('2 h 1 min');
    expect(endResultText({ state: 'cancelled', exitCode: null, durationMs: 0, summary: '' })).toBe('cancelled, no exit code, 0 ms');
  });

  it('searches title, body, tags, topic and every status field, case-insensitively', () => {
    const text = searchTextOf(update('job/Backup/1', { state: 'Running', host: 'NAS' }, { changed: ['state'] }));
    expect(text).toContain('host=nas');
    expect(text).toContain('job/backup/1');
    expect(searchTextOf(notify('ci', 'Deploy OK', { title: 'Prod', tags: ['Release'] }))).toMatch(/prod: deploy ok[\s\S]*release/);
  });
});
