// The order of urgencies a digest takes the highest of.

import { describe, expect, it } from 'vitest';
import { higherUrgency, type Urgency } from './desktop-notification.ts';

describe('higherUrgency', () => {
  it('orders critical over normal over low, either way round', () => {
    const pairs: Array<[Urgency, Urgency, Urgency]> = [
      ['low', 'low', 'low'],
      ['low', 'normal', 'normal'],
      ['normal', 'low', 'normal'],
      ['normal', 'critical', 'critical'],
      ['critical', 'normal', 'critical'],
      ['low', 'critical', 'critical'],
      ['critical', 'low', 'critical'],
      ['critical', 'critical', 'critical'],
    ];
    for (const [a, b, higher] of pairs) expect(higherUrgency(a, b), `${a}, ${b}`).toBe(higher);
  });
});
