import { describe, expect, it } from 'vitest';
import { jitteredRetryMs } from './retry-jitter.ts';

describe('jitteredRetryMs', () => {
  it('spans [base, 2 x base]: the lowest draw gives the base, the highest twice it', () => {
    expect(jitteredRetryMs(2000, () => 0)).toBe(2000);
    expect(jitteredRetryMs(2000, () => 0.5)).toBe(3000);
    expect(jitteredRetryMs(2000, () => 0.999_999_9)).toBe(4000);
  });

  it('spreads many streams over the whole range instead of one value', () => {
    let seed = 7;
    // A small deterministic LCG, so the spread is the same on every run.
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const delays = Array.from({ length: 10_000 }, () => jitteredRetryMs(2000, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4000);
    // Ten 200 ms buckets, each holding roughly a tenth of the streams.
    const buckets = new Array<number>(10).fill(0);
    for (const d of delays) buckets[Math.min(9, Math.floor((d - 2000) / 200))]!++;
    for (const n of buckets) expect(n).toBeGreaterThan(800);
    expect(new Set(delays).size).toBeGreaterThan(1500);
  });

  it('keeps 0 at 0 (a client told to come straight back) and integers whole', () => {
    expect(jitteredRetryMs(0, () => 0.9)).toBe(0);
    expect(Number.isInteger(jitteredRetryMs(1234, () => 0.3333))).toBe(true);
  });

  it('stays in range whatever the random source returns', () => {
    expect(jitteredRetryMs(100, () => 1)).toBe(200);
    expect(jitteredRetryMs(100, () => -3)).toBe(100);
    expect(jitteredRetryMs(100, () => Number.NaN)).toBe(100);
    expect(jitteredRetryMs(100, () => 42)).toBe(200);
  });

  it('refuses a base that is not a non-negative integer, saying what arrived', () => {
    expect(() => jitteredRetryMs(-1)).toThrow(/non-negative integer of milliseconds, got -1/);
    expect(() => jitteredRetryMs(1.5)).toThrow(/got 1.5/);
  });
});
