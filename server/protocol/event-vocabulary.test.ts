// The event vocabulary: every event kind parsed from real SSE text (the frame encoder's
// output read back by eventsource-parser, the parser the eventsource client uses) and
// described; every level and urgency; durations at each unit's edges.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { EndData, HeraldEvent } from './events.ts';
import { encodeEvent, encodeFrame } from './frames.ts';
import {
  EVENT_LEVELS,
  describeEvent,
  endResultText,
  formatDuration,
  levelOf,
  linksOf,
  parseEvent,
  searchTextOf,
  statusText,
  titleOf,
  summaryOf,
  summaryParts,
  urgencyOf,
  urgencyOfPriority,
} from './event-vocabulary.ts';

const T = 1_700_000_000_000;

const notify = (priority: number, extra: { title?: string; body?: string } = {}): HeraldEvent => ({
  id: 'n1',
  type: 'notify',
  data: { topic: 'backups', time: T, body: extra.body ?? 'nightly backup done', priority, tags: ['nas'], ...(extra.title === undefined ? {} : { title: extra.title }) },
});
const update = (status: Record<string, unknown>, changed?: string[]): HeraldEvent => ({
  id: 'u1',
  type: 'update',
  data: { topic: 'system', time: T, status, ...(changed ? { changed } : {}) },
});
const alert = (level: 'ok' | 'warn' | 'critical', previous?: 'ok' | 'warn' | 'critical'): HeraldEvent => ({
  id: 'a1',
  type: 'alert',
  data: { topic: 'host/disk', time: T, level, message: 'disk 91% full', metric: 'disk', value: 91, ...(previous ? { previous } : {}) },
});
const end = (result: Partial<EndData> = {}): HeraldEvent => ({
  id: 'e1',
  type: 'end',
  data: { topic: 'job/build', time: T, state: 'succeeded', exitCode: 0, durationMs: 83_000, summary: 'done', ...result },
});
const gap: HeraldEvent = { id: 'g1', type: 'gap', data: { topic: 'feed', time: T, since: '12', lost: 40, message: '40 events were dropped by retention' } };

/** The SSE messages a real parser reads from `text`. */
function messagesOf(text: string): EventSourceMessage[] {
  const out: EventSourceMessage[] = [];
  createParser({ onEvent: (m) => out.push(m) }).feed(text);
  return out;
}

function receive(text: string) {
  return messagesOf(text).map((m) => parseEvent({ type: m.event ?? 'message', id: m.id ?? '', data: m.data }));
}

describe('parseEvent', () => {
  it('reads every event kind back from the frames the server writes', () => {
    const kinds = [notify(3, { title: 'Backup' }), update({ cpu: 12 }, ['cpu']), alert('warn', 'ok'), end(), gap];
    expect(receive(kinds.map(encodeEvent).join(''))).toEqual(kinds.map((event) => ({ ok: true, event })));
  });

  it('keeps fields a newer server adds, so an old client still reads its events', () => {
    const [parsed] = receive(encodeFrame({ id: '7', event: 'notify', data: '{"topic":"a","time":1,"body":"x","priority":3,"tags":[],"sound":"bell"}' }));
    expect(parsed).toEqual({ ok: true, event: { id: '7', type: 'notify', data: { topic: 'a', time: 1, body: 'x', priority: 3, tags: [], sound: 'bell' } } });
  });

  it('refuses malformed data with a message naming the event, what was expected and what arrived', () => {
    const frames = [
      { id: '1', event: 'notify', data: '{oops' },
      { id: '2', event: 'notify', data: '[1,2]' },
      { id: '3', event: 'notify', data: '{"time":1,"body":"x","priority":3,"tags":[]}' },
      { id: '4', event: 'alert', data: '{"topic":"a","time":1,"level":"loud","message":"m"}' },
      { id: '5', event: 'end', data: '{"topic":"a","time":"soon","state":"failed","exitCode":1,"durationMs":5,"summary":""}' },
      { id: '6', event: 'gap', data: '{"topic":"a","time":1,"since":"3","lost":-1,"message":"m"}' },
      { id: '7', event: 'notify', data: '{"topic":"a","time":1,"body":"x","priority":3}' },
      { event: 'update', data: '{"topic":"a","time":1,"status":{}}' },
      { id: '9', event: 'hello', data: '{}' },
    ];
    expect(receive(frames.map(encodeFrame).join('')).map((r) => (r.ok ? 'ok' : r.problem))).toEqual([
      'event 1 (notify) is not valid JSON: {oops',
      'event 2 (notify) is not a valid notify event: expected the event data to be an object, got an array of 2',
      'event 3 (notify) is not a valid notify event: expected a topic name, got nothing',
      'event 4 (alert) is not a valid alert event: expected "level" to be one of ok, warn, critical, got "loud"',
      'event 5 (end) is not a valid end event: expected "time" in epoch milliseconds, got "soon"',
      'event 6 (gap) is not a valid gap event: expected "lost" to be a count of events or null, got -1',
      'event 7 (notify) is not a valid notify event: expected "tags" to be an array of strings, got nothing',
      'an event (update) arrived without an id: {"topic":"a","time":1,"status":{}}',
      'an event of unknown type "hello" arrived: {}',
    ]);
  });

  it('quotes only the first 80 characters of refused data', () => {
    const data = `{"topic":"a","time":1,"status":{},"note":"${'n'.repeat(200)}"`;
    const [parsed] = receive(encodeFrame({ id: '8', event: 'update', data }));
    expect(parsed).toEqual({ ok: false, problem: `event 8 (update) is not valid JSON: ${data.slice(0, 80)}` });
  });
});

describe('levelOf', () => {
  it('gives each kind its level: alert as sent, end by state, gap warn, message by priority, update by its status level', () => {
    const cases: Array<[HeraldEvent, string]> = [
      [alert('ok'), 'ok'],
      [alert('warn'), 'warn'],
      [alert('critical'), 'critical'],
      [end({ state: 'succeeded' }), 'ok'],
      [end({ state: 'cancelled' }), 'warn'],
      [end({ state: 'failed' }), 'critical'],
      [end({ state: 'timed-out' }), 'critical'],
      [gap, 'warn'],
      [notify(1), 'info'],
      [notify(2), 'info'],
      [notify(3), 'info'],
      [notify(4), 'warn'],
      [notify(5), 'critical'],
      [update({ level: 'warn', cpu: 91 }), 'warn'],
      [update({ level: 'critical' }), 'critical'],
      [update({ level: 'ok' }), 'ok'],
      [update({ level: 'bogus' }), 'info'],
      [update({ cpu: 12 }), 'info'],
    ];
    expect(cases.map(([event]) => levelOf(event))).toEqual(cases.map(([, level]) => level));
    expect(new Set(cases.map(([event]) => levelOf(event)))).toEqual(new Set(EVENT_LEVELS));
  });
});

describe('urgencyOf', () => {
  it('maps priority 1-2 low, 3-4 normal, 5 critical, clamping what is out of range', () => {
    expect([0, 1, 2, 3, 4, 5, 9, Number.NaN].map(urgencyOfPriority)).toEqual(['low', 'low', 'low', 'normal', 'normal', 'critical', 'critical', 'low']);
    expect([1, 3, 5].map((p) => urgencyOf(notify(p)))).toEqual(['low', 'normal', 'critical']);
  });

  it('gives an alert its weight (a recovery is low), an update its rule priority, end and gap normal', () => {
    expect([alert('critical'), alert('warn'), alert('ok')].map((e) => urgencyOf(e))).toEqual(['critical', 'normal', 'low']);
    expect([urgencyOf(update({ a: 1 })), urgencyOf(update({ a: 1 }), 5), urgencyOf(update({ a: 1 }), 1)]).toEqual(['normal', 'critical', 'low']);
    expect([urgencyOf(end({ state: 'failed' })), urgencyOf(gap)]).toEqual(['normal', 'normal']);
  });
});

describe('formatDuration', () => {
  it('says zero and sub-second durations in ms, rounding to the next unit at the edge', () => {
    expect([0, 0.4, 1, 450, 999.4, 999.6].map(formatDuration)).toEqual(['0 ms', '0 ms', '1 ms', '450 ms', '999 ms', '1.0 s']);
  });

  it('says seconds with a tenth below ten, whole above', () => {
    expect([1000, 1500, 9940, 9960, 12_000, 59_400].map(formatDuration)).toEqual(['1.0 s', '1.5 s', '9.9 s', '10 s', '12 s', '59 s']);
  });

  it('says minutes with seconds, hours with minutes, days with hours, never 60 of a smaller unit', () => {
    expect([59_600, 65_000, 83_000, 125_000, 3_599_400].map(formatDuration)).toEqual(['1 min 0 s', '1 min 5 s', '1 min 23 s', '2 min 5 s', '59 min 59 s']);
    expect([3_599_600, 2 * 3600_000 + 5 * 60_000, 86_399_000].map(formatDuration)).toEqual(['1 h 0 min', '2 h 5 min', '23 h 59 min']);
    expect([86_400_000, 2 * 86_400_000 + 4 * 3600_000 + 59 * 60_000, 400 * 86_400_000].map(formatDuration)).toEqual(['1 d 0 h', '2 d 4 h', '400 d 0 h']);
  });

  it('answers ? for a negative or non-finite duration', () => {
    expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map(formatDuration)).toEqual(['?', '?', '?']);
  });
});

describe('describeEvent', () => {
  it('describes a message', () => {
    expect(describeEvent(notify(5, { title: 'Backup failed', body: 'disk full' }))).toEqual({
      level: 'critical', urgency: 'critical', title: 'Backup failed', body: 'disk full', summary: 'Backup failed: disk full',
    });
    expect(describeEvent(notify(3, { body: 'no title' }))).toMatchObject({ level: 'info', title: 'backups', summary: 'no title' });
    expect(describeEvent(notify(3, { title: 'only a title', body: '' }))).toMatchObject({ title: 'only a title', body: '', summary: 'only a title' });
  });

  it('describes an update, with the field and priority of the rule that made it notify', () => {
    const event = update({ state: 'running', progress: 0.4213, host: null }, ['progress']);
    expect(describeEvent(event)).toEqual({
      level: 'info', urgency: 'normal', title: 'system changed', body: 'state=running, progress=0.42, host=–', summary: 'progress=0.42',
    });
    expect(describeEvent(event, { field: 'state', priority: 5 })).toMatchObject({ title: 'system: state is running', urgency: 'critical' });
  });

  it('describes an alert and a recovery', () => {
    expect(describeEvent(alert('critical', 'warn'))).toEqual({
      level: 'critical', urgency: 'critical', title: 'Critical: host/disk', body: 'disk 91% full', summary: 'disk 91% full (was warn)',
    });
    expect(describeEvent(alert('ok'))).toMatchObject({ level: 'ok', urgency: 'low', title: 'Recovered: host/disk' });
    expect(describeEvent(alert('warn'))).toMatchObject({ level: 'warn', urgency: 'normal', title: 'Warning: host/disk' });
  });

  it('titles an update by its topic when the rule\'s field is not in its status', () => {
    expect(titleOf(update({ state: 'running' }), 'progress')).toBe('system changed');
    expect(titleOf(update({ state: 'running' }), 'state')).toBe('system: state is running');
    expect(titleOf(update({ state: 'running' }))).toBe('system changed');
  });

  it('describes an end, with its duration as text', () => {
    expect(describeEvent(end({ state: 'failed', exitCode: 2, summary: 'tests failed' }))).toEqual({
      level: 'critical', urgency: 'normal', title: 'job/build failed', body: 'tests failed (exit 2, 1 min 23 s)', summary: 'failed, exit code 2, 1 min 23 s: tests failed',
    });
    expect(describeEvent(end({ state: 'cancelled', exitCode: null, durationMs: 0, summary: '' }))).toMatchObject({ body: '0 ms', summary: 'cancelled, no exit code, 0 ms' });
    expect(endResultText({ state: 'timed-out', exitCode: null, durationMs: 90_061_000, summary: 'x' })).toBe('timed-out, no exit code, 1 d 1 h: x');
  });

  it('describes a gap', () => {
    expect(describeEvent(gap)).toEqual({
      level: 'warn', urgency: 'normal', title: 'Missed events on feed', body: '40 events were dropped by retention', summary: '40 events were dropped by retention',
    });
  });

  it('clips a long title and body for a notification, not the summary', () => {
    const long = describeEvent(notify(3, { title: 't'.repeat(500), body: 'b'.repeat(500) }));
    expect([long.title.length, long.body.length, long.summary.length]).toEqual([120, 300, 1002]);
    expect(long.title.endsWith('…')).toBe(true);
  });
});

describe('search and status text', () => {
  it('searches topic, summary, every status field and the tags, lower-cased', () => {
    const text = searchTextOf(update({ state: 'Running', host: 'NAS' }, ['state']));
    expect(text.split('\n')).toEqual(['system', 'state=running', 'state=running, host=nas']);
    expect(searchTextOf(notify(3, { title: 'Prod', body: 'Deploy OK' })).split('\n')).toEqual(['backups', 'prod: deploy ok', 'nas']);
  });

  it('searches a message\'s tags as words apart', () => {
    const tagged: HeraldEvent = { id: 't1', type: 'notify', data: { topic: 'ci', time: T, body: 'x', priority: 3, tags: ['nas', 'Prod'] } };
    expect(searchTextOf(tagged).split('\n')).toEqual(['ci', 'x', 'nas prod']);
  });

  it('lists every status field when an update names no changed field, and only the changed ones when it does', () => {
    expect(statusText({ a: 1, b: 'x' }, [])).toBe('a=1, b=x');
    expect(statusText({ a: 1, b: 'x' }, ['b'])).toBe('b=x');
  });

  it('says a status value that is absent as –', () => {
    expect(statusText({ a: undefined, b: null })).toBe('a=–, b=–');
  });

  it('says status values on one line', () => {
    expect(statusText({ s: 'x', n: 3, f: 1 / 3, none: null, list: [1, 'a'], nested: { a: 1 } })).toBe('s=x, n=3, f=0.33, none=–, list=[1,"a"], nested={"a":1}');
  });

  it('summarises each kind on one line', () => {
    expect([notify(3, { title: 'Build 12', body: 'all green' }), update({ cpu: 12 }), alert('ok', 'critical'), end(), gap].map(summaryOf)).toEqual([
      'Build 12: all green',
      'cpu=12',
      'disk 91% full (was critical)',
      'succeeded, exit code 0, 1 min 23 s: done',
      '40 events were dropped by retention',
    ]);
  });

  it('keeps publisher text apart from Herald’s words, so the view can isolate each piece', () => {
    expect(summaryParts(notify(3, { title: 'Invoice \u202efdp.exe', body: 'body' }))).toEqual([{ user: 'Invoice \u202efdp.exe' }, ': ', { user: 'body' }]);
    expect(summaryParts(notify(3, { title: 'only a title', body: '' }))).toEqual([{ user: 'only a title' }]);
    expect(summaryParts(update({ name: 'x', next: 2 }))).toEqual([{ user: 'name' }, '=', { user: 'x' }, ', ', { user: 'next' }, '=', { user: '2' }]);
    expect(summaryParts(alert('warn'))).toEqual([{ user: 'disk 91% full' }]);
    expect(summaryParts(alert('ok', 'critical'))).toEqual([{ user: 'disk 91% full' }, ' (was critical)']);
    expect(summaryParts(end({ state: 'failed', exitCode: 1, durationMs: 1000, summary: 'boom' }))).toEqual(['failed, exit code 1, 1.0 s', ': ', { user: 'boom' }]);
    expect(summaryParts(gap)).toEqual([{ user: '40 events were dropped by retention' }]);
  });
});

describe('linksOf', () => {
  it("offers the click URL and the view actions by label, http(s) only, never an http action", () => {
    const event: HeraldEvent = {
      id: 'l1',
      type: 'notify',
      data: {
        topic: 'ci',
        time: T,
        body: 'failed',
        priority: 4,
        tags: [],
        click: 'https://ci.example/run/7',
        actions: [
          { action: 'view', label: 'Open logs', url: 'https://ci.example/run/7/logs' },
          { action: 'http', label: 'Retry', url: 'https://ci.example/retry', method: 'POST' },
          { action: 'view', label: 'Mail', url: 'mailto:ops@example.org' },
        ],
      },
    };
    expect(linksOf(event)).toEqual([
      { label: 'Open link', url: 'https://ci.example/run/7' },
      { label: 'Open logs', url: 'https://ci.example/run/7/logs' },
    ]);
    expect(linksOf(notify(3))).toEqual([]);
    // A click URL that is not http(s) is no link, whatever its scheme ends with.
    for (const click of ['mailto:ops@example.org', 'xhttps://ci.example/run/7']) {
      expect(linksOf({ id: 'c', type: 'notify', data: { topic: 'ci', time: T, body: 'x', priority: 3, tags: [], click } }), click).toEqual([]);
    }
    expect(linksOf({ id: 'a', type: 'alert', data: { topic: 'db', time: T, level: 'critical', message: 'down', click: 'http://grafana.lan/d/1' } })).toEqual([
      { label: 'Open link', url: 'http://grafana.lan/d/1' },
    ]);
  });
});
