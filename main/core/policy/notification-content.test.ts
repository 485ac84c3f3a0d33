// The words of a notification: titles and bodies per event type, how long texts are
// cut, how durations and statuses read, and the key each notification carries.

import { describe, expect, it } from 'vitest';
import { describeEvent, formatDuration, formatStatus, notificationForEvent } from './notification-content.ts';
import { SERVER, alert, end, notify, update } from './policy-test-support.ts';

describe('cutting long texts', () => {
  it('keeps a body of 300 characters and cuts a longer one to 299 and an ellipsis', () => {
    expect(describeEvent(notify('a', 3, { body: 'b'.repeat(300) })).body).toBe('b'.repeat(300));
    expect(describeEvent(notify('a', 3, { body: 'b'.repeat(301) })).body).toBe(`${'b'.repeat(299)}…`);
  });

  it('keeps a title of 120 characters and cuts a longer one the same way', () => {
    expect(describeEvent(notify('a', 3, { title: 't'.repeat(120) })).title).toBe('t'.repeat(120));
    expect(describeEvent(notify('a', 3, { title: 't'.repeat(121) })).title).toBe(`${'t'.repeat(119)}…`);
  });
});

describe('formatDuration', () => {
  it('writes under a second in ms, then seconds, minutes and hours', () => {
    expect([0, 999, 1000, 59_000, 60_000, 3_599_000, 3_600_000].map(formatDuration)).toEqual([
      '0 ms',
      '999 ms',
      '1s',
      '59s',
      '1m 0s',
      '59m 59s',
      '1h 0m',
    ]);
  });

  it('is empty for a duration that cannot be read', () => {
    expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map(formatDuration)).toEqual(['', '', '']);
  });
});

describe('formatStatus', () => {
  it('writes strings as they are and everything else as JSON', () => {
    expect(formatStatus({ state: 'failed', step: 3, ok: false, detail: { code: 2 }, list: [1, 'x'], none: null })).toBe(
      'state=failed, step=3, ok=false, detail={"code":2}, list=[1,"x"], none=null',
    );
  });
});

describe('end', () => {
  it('adds the exit code and duration it knows to the summary', () => {
    expect(describeEvent(end('job/1', { exitCode: 2, durationMs: 83_000 })).body).toBe('built (exit 2, 1m 23s)');
    expect(describeEvent(end('job/1', { state: 'cancelled', exitCode: null, durationMs: 4000 }))).toEqual({
      title: 'job/1 cancelled',
      body: 'built (4s)',
    });
  });

  it('shows just the summary when it knows neither', () => {
    expect(describeEvent(end('job/1', { exitCode: null, durationMs: -1 })).body).toBe('built');
    expect(describeEvent(end('job/1', { exitCode: 0, durationMs: Number.NaN })).body).toBe('built (exit 0)');
  });
});

describe('update', () => {
  it("names the watched field and its value, written as JSON unless it is a string", () => {
    expect(describeEvent(update('ci/web', { state: 'failed' }), 'state').title).toBe('ci/web: state is failed');
    expect(describeEvent(update('ci/web', { state: { code: 2 } }), 'state').title).toBe('ci/web: state is {"code":2}');
  });

  it('says only that the topic changed when no field is watched or the field is missing', () => {
    expect(describeEvent(update('price', { v: 1 }))).toEqual({ title: 'price changed', body: 'v=1' });
    expect(describeEvent(update('price', { v: 1 }), 'missing').title).toBe('price changed');
  });
});

describe('notificationForEvent', () => {
  it('keys a notification by server and event id, and keeps a click URL only from a notify', () => {
    const shown = notificationForEvent(SERVER, notify('a', 3, { click: 'https://example.com/1' }), 'normal');
    expect(shown).toMatchObject({ serverId: SERVER, topic: 'a', kind: 'event', count: 1, click: 'https://example.com/1' });
    expect(shown.key).toBe(`${SERVER}/${shown.eventId}`);
    const other = notificationForEvent('other', alert('a', 'warn'), 'normal');
    expect(other.key).toBe(`other/${other.eventId}`);
    expect(other.click).toBeNull();
    expect(notificationForEvent(SERVER, notify('a'), 'low').click).toBeNull();
  });
});
