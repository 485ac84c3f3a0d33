// The event vocabulary's guards and level order.

import { describe, expect, it } from 'vitest';
import { parseEvent } from './event-parse.ts';
import { END_STATES, EVENT_TYPES, LEVELS, isEndState, isEventType, isLevel, isUnknownResumeGap, worstLevel, type HeraldEvent, type Level } from './events.ts';

describe('guards', () => {
  it('know exactly the event types, levels and end states of the protocol', () => {
    expect(EVENT_TYPES.filter(isEventType)).toEqual(['update', 'notify', 'alert', 'end', 'gap']);
    expect(LEVELS.filter(isLevel)).toEqual(['ok', 'warn', 'critical']);
    expect(END_STATES.filter(isEndState)).toEqual(['succeeded', 'failed', 'cancelled', 'timed-out']);
  });

  it('refuse other strings, other cases and non-strings', () => {
    for (const guard of [isEventType, isLevel, isEndState]) {
      for (const value of ['', 'message', 'Notify', 'OK', 'error', 'timeout', null, undefined, 1, ['ok'], { ok: true }]) {
        expect(guard(value), `${guard.name}(${JSON.stringify(value)})`).toBe(false);
      }
    }
    expect(isLevel('notify')).toBe(false);
    expect(isEventType('critical')).toBe(false);
    expect(isEndState('end')).toBe(false);
  });
});

describe('worstLevel', () => {
  it('orders critical over warn over ok, either way round', () => {
    const pairs: Array<[Level, Level, Level]> = [
      ['ok', 'ok', 'ok'],
      ['ok', 'warn', 'warn'],
      ['warn', 'ok', 'warn'],
      ['warn', 'critical', 'critical'],
      ['critical', 'warn', 'critical'],
      ['ok', 'critical', 'critical'],
      ['critical', 'ok', 'critical'],
      ['critical', 'critical', 'critical'],
    ];
    for (const [a, b, worst] of pairs) expect(worstLevel(a, b), `${a}, ${b}`).toBe(worst);
  });
});

describe('isUnknownResumeGap', () => {
  const received = (type: string, data: Record<string, unknown>): HeraldEvent => {
    const parsed = parseEvent({ type, id: '7', data: JSON.stringify({ topic: 'ci', time: 1, ...data }) });
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.event;
  };
  const gap = { since: '99', lost: null, message: 'resume point unknown' };

  it('is true only for a gap whose reason is that the server does not know the resume id', () => {
    expect(isUnknownResumeGap(received('gap', { ...gap, reason: 'unknown-resume-point' }))).toBe(true);
    expect(isUnknownResumeGap(received('gap', { ...gap, reason: 'retention' }))).toBe(false);
  });

  it('is false for a gap from a server older than the reason field (it means retention)', () => {
    expect(isUnknownResumeGap(received('gap', gap))).toBe(false);
  });

  it('is false for another event type that carries the same reason field', () => {
    const end = received('end', { state: 'failed', exitCode: 1, durationMs: 5, summary: 'x', reason: 'unknown-resume-point' });
    expect((end.data as { reason?: string }).reason).toBe('unknown-resume-point');
    expect(isUnknownResumeGap(end)).toBe(false);
  });
});
