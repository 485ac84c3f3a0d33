// The headline of a run's end summary says how long the run took the way every
// duration is said (formatDuration: `450 ms`, `1.5 s`, `1 min 23 s`).

import { describe, expect, it } from 'vitest';
import type { EndState } from '../../protocol/events.ts';
import { RunTracker } from './run-tracker.ts';

function headline(state: EndState, exitCode: number | null, tookMs: number): string {
  const tracker = new RunTracker('make test', 1_000_000);
  tracker.finish(state, exitCode, 1_000_000 + tookMs);
  return tracker.end('job/build').summary;
}

describe('a run’s end headline', () => {
  it('says the duration as the rest of Herald does', () => {
    expect(headline('succeeded', 0, 1_500)).toBe('succeeded in 1.5 s');
    expect(headline('failed', 2, 83_000)).toBe('failed with exit code 2 after 1 min 23 s');
    expect(headline('failed', null, 12_000)).toBe('failed after 12 s');
    expect(headline('cancelled', null, 450)).toBe('cancelled after 450 ms');
    expect(headline('timed-out', null, 7_200_000)).toBe('timed out after 2 h 0 min');
  });
});
