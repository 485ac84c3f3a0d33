// What the policy shows later rather than at once: digests of coalesced bursts and
// repeats of an unacknowledged critical alert. When it wakes up for them, what stops
// them and what does not, and that mute, pause and quiet hours hold for them too.

import { describe, expect, it } from 'vitest';
import type { PolicySettings, SuppressReason } from './notification-policy.ts';
import { pauseUntilResumed } from './pause.ts';
import { parseEvent } from '../../../../server/protocol/event-parse.ts';
import { MINUTE, NOON, SERVER, alert, end, gap, notify, policy, settings, titles, update } from '../../../../test/support/policy-fixtures.ts';

const coalesce = { maxPerWindow: 3, windowMs: MINUTE };
const reAlert = { enabled: true, afterMs: 10 * MINUTE, maxRepeats: 3 };

/** Settings that keep a normal notification on topic `a` from showing, and why. */
const BLOCKING: Array<[SuppressReason, Partial<PolicySettings>]> = [
  ['muted', { mutedTopics: ['a'] }],
  ['paused', { pause: pauseUntilResumed() }],
  ['quiet-hours', { quietHours: { enabled: true, start: '11:00', end: '13:00' } }],
];

describe('when the policy wakes up', () => {
  it('wakes for a digest due before a repeat', () => {
    const p = policy({ coalesce, reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    expect(p.nextDueAt()).toBe(NOON + MINUTE);
  });

  it('wakes for a repeat due before a digest', () => {
    const p = policy({ coalesce: { maxPerWindow: 3, windowMs: 20 * MINUTE }, reAlert });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.nextDueAt()).toBe(NOON + 10 * MINUTE);
  });

  it('wakes for the earliest of several topics, digests and repeats alike', () => {
    const p = policy({ coalesce, reAlert });
    for (let i = 0; i < 4; i++) p.decide(SERVER, notify('late'), NOON + 30_000);
    for (let i = 0; i < 4; i++) p.decide(SERVER, notify('early'), NOON);
    expect(p.nextDueAt()).toBe(NOON + MINUTE);
    p.due(NOON + MINUTE);
    expect(p.nextDueAt()).toBe(NOON + MINUTE + 30_000);
    p.decide(SERVER, alert('disk', 'critical'), NOON + MINUTE);
    p.decide(SERVER, alert('db', 'critical'), NOON);
    p.due(NOON + MINUTE + 30_000);
    expect(p.nextDueAt()).toBe(NOON + 10 * MINUTE);
  });

  it('wakes for the earliest repeat whichever alert came first', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.decide(SERVER, alert('db', 'critical'), NOON + MINUTE);
    expect(p.nextDueAt()).toBe(NOON + 10 * MINUTE);
  });

  it('has nothing to wake for when no digest is held and no alert repeats', () => {
    const p = policy({ coalesce, reAlert });
    for (let i = 0; i < 3; i++) p.decide(SERVER, notify('a'), NOON);
    expect(p.nextDueAt()).toBeNull();
  });
});

describe('repeats of a critical alert', () => {
  it('an update, a notify or a gap on the topic does not stop them; only recovery, end or acknowledgement does', () => {
    const p = policy({ reAlert, rules: [{ topic: 'disk', field: 'used', equals: null, priority: 3 }] });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.decide(SERVER, update('disk', { used: 99 }, ['used']), NOON + MINUTE).suppressed).toBeNull();
    p.decide(SERVER, update('disk', { free: 1 }, ['free']), NOON + MINUTE);
    p.decide(SERVER, notify('disk', 5), NOON + 2 * MINUTE);
    p.decide(SERVER, notify('disk', 1), NOON + 2 * MINUTE);
    p.decide(SERVER, gap('disk'), NOON + 3 * MINUTE);
    expect(p.isRepeating(SERVER, 'disk')).toBe(true);
    expect(titles(p.due(NOON + 10 * MINUTE))).toEqual(['Still critical: disk']);
  });

  it('only a critical alert repeats, not a notify that carries a "level" field a newer server added', () => {
    // A client keeps fields it does not know (parseEvent), so such a notify arrives with its level.
    const parsed = parseEvent({ type: 'notify', id: '7', data: JSON.stringify({ topic: 'disk', time: NOON, body: 'full', priority: 3, tags: [], level: 'critical' }) });
    expect(parsed.ok && parsed.event.data).toMatchObject({ level: 'critical' });
    const p = policy({ reAlert });
    expect(p.decide(SERVER, parsed.ok ? parsed.event : alert('disk', 'ok'), NOON).show).toHaveLength(1);
    expect(p.isRepeating(SERVER, 'disk')).toBe(false);
    expect(p.due(NOON + 10 * MINUTE)).toEqual([]);
  });

  it('repeat once per delay, however often the policy is asked', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.due(NOON + 10 * MINUTE)).toHaveLength(1);
    expect(p.due(NOON + 10 * MINUTE)).toEqual([]);
    expect(p.nextDueAt()).toBe(NOON + 20 * MINUTE);
  });

  it('a critical alert that arrives while muted does not stop the repeats of the one shown before', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.setSettings(settings({ reAlert, mutedTopics: ['disk'] }));
    expect(p.decide(SERVER, alert('disk', 'critical'), NOON + MINUTE).suppressed).toBe('muted');
    p.setSettings(settings({ reAlert }));
    expect(titles(p.due(NOON + 10 * MINUTE))).toEqual(['Still critical: disk']);
  });

  it('another critical alert restarts the delay rather than adding a second schedule', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.decide(SERVER, alert('disk', 'critical', { message: 'worse' }), NOON + 5 * MINUTE);
    expect(p.due(NOON + 10 * MINUTE)).toEqual([]);
    expect(p.due(NOON + 15 * MINUTE).map((n) => n.body)).toEqual(['worse']);
  });

  it('keeps them per server and topic: acknowledging one leaves the others', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.decide('other-server', alert('disk', 'critical'), NOON);
    p.acknowledge(SERVER, 'disk');
    expect(p.isRepeating(SERVER, 'disk')).toBe(false);
    expect(p.due(NOON + 10 * MINUTE).map((n) => n.serverId)).toEqual(['other-server']);
  });

  it('stop when re-alerting is turned off in the settings', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.setSettings(settings({ reAlert: { ...reAlert, enabled: false } }));
    expect(p.isRepeating(SERVER, 'disk')).toBe(false);
    expect(p.due(NOON + 10 * MINUTE)).toEqual([]);
    expect(p.nextDueAt()).toBeNull();
  });

  it('follow a changed delay and limit for alerts shown after the change', () => {
    const p = policy({ reAlert });
    p.setSettings(settings({ reAlert: { enabled: true, afterMs: 2 * MINUTE, maxRepeats: 1 } }));
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.nextDueAt()).toBe(NOON + 2 * MINUTE);
    expect(p.due(NOON + 2 * MINUTE)).toHaveLength(1);
    expect(p.nextDueAt()).toBeNull();
  });
});

describe('digests respect mute, pause and quiet hours', () => {
  it.each(BLOCKING)("a burst released by the topic's end is not shown while %s", (reason, blocking) => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    p.setSettings(settings({ coalesce, ...blocking }));
    expect(p.decide(SERVER, end('a'), NOON + 1000)).toEqual({ show: [], suppressed: reason });
    expect(p.nextDueAt()).toBeNull();
  });

  it.each(BLOCKING)('a digest whose window closed is not shown while %s', (_reason, blocking) => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    p.setSettings(settings({ coalesce, ...blocking }));
    expect(p.due(NOON + MINUTE)).toEqual([]);
    expect(p.nextDueAt()).toBeNull();
  });

  it('a digest of another topic still shows when the topic that ended is muted', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('b'), NOON);
    p.setSettings(settings({ coalesce, mutedTopics: ['a'] }));
    expect(p.decide(SERVER, end('a'), NOON + 1000).suppressed).toBe('muted');
    expect(titles(p.due(NOON + MINUTE))).toEqual(['2 updates on b']);
  });
});

describe('coalescing settings and digest words', () => {
  it('a change of coalescing settings applies to the next notification', () => {
    const p = policy({ coalesce });
    expect(p.decide(SERVER, notify('a'), NOON).suppressed).toBeNull();
    p.setSettings(settings({ coalesce: { maxPerWindow: 1, windowMs: 5 * MINUTE } }));
    expect(p.decide(SERVER, notify('a'), NOON + 1000).suppressed).toBe('coalesced');
    expect(p.decide(SERVER, notify('b'), NOON + 1000).suppressed).toBeNull();
    expect(p.decide(SERVER, notify('b'), NOON + 1000).suppressed).toBe('coalesced');
    expect(p.nextDueAt()).toBe(NOON + MINUTE);
    expect(titles(p.due(NOON + MINUTE))).toEqual(['1 update on a']);
    expect(p.nextDueAt()).toBe(NOON + 1000 + 5 * MINUTE);
  });

  it('gives every digest a key of its own, apart from the events it stands for', () => {
    const p = policy({ coalesce });
    const shown = [];
    for (let i = 0; i < 12; i++) {
      const now = NOON + i * 10_000;
      shown.push(...p.due(now), ...p.decide(SERVER, notify('a'), now).show);
    }
    shown.push(...p.due(NOON + 10 * MINUTE));
    expect(shown.filter((n) => n.kind === 'digest').length).toBeGreaterThanOrEqual(2);
    expect(new Set(shown.map((n) => n.key)).size).toBe(shown.length);
  });

  it('names one held notification "1 update" and more "N updates"', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 4; i++) p.decide(SERVER, notify('a'), NOON);
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('b', 3, { title: 'Build', body: '' }), NOON);
    const digests = p.due(NOON + MINUTE);
    expect(digests.map((d) => [d.title, d.body, d.count])).toEqual([
      ['1 update on a', 'Latest: Title of a: the body', 1],
      ['2 updates on b', 'Latest: Build', 2],
    ]);
  });
});
