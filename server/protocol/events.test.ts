// The event vocabulary's guards and level order.

import { describe, expect, it } from 'vitest';
import { END_STATES, EVENT_TYPES, LEVELS, isEndState, isEventType, isLevel, worstLevel, type Level } from './events.ts';

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
