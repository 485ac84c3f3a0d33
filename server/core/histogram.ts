// A histogram kept in place: fixed bucket bounds and one counter per bucket, so
// recording a sample on a hot path (an append, a replay) allocates nothing. GET
// /metrics reads it at scrape time (server/integrations/metrics/).

export class Histogram {
  /** Upper bounds, ascending (seconds for the latencies here). */
  readonly bounds: readonly number[];
  /** Samples per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** Seconds, from 100 µs to 10 s: an SQLite append takes well under a millisecond, a Redis one a few. */
export const LATENCY_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
