// Publish-to-receive latencies in microseconds. A run can see millions of deliveries,
// so they are counted in log-spaced buckets rather than kept: 64 buckets per power of
// two gives about 1.1% resolution, plenty for p50 and p99, in 20 KiB. The maximum is
// kept exactly, since one stall is what it is there to show.

const BUCKETS_PER_OCTAVE = 64;
const OCTAVES = 40;

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS_PER_OCTAVE * OCTAVES);
  private total = 0;
  private maxUs = 0;

  /** One latency; negative values (clock steps) count as zero. */
  record(us: number): void {
    const value = us > 0 ? us : 0;
    const index = Math.min(this.counts.length - 1, Math.floor(Math.log2(value + 1) * BUCKETS_PER_OCTAVE));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
    if (value > this.maxUs) this.maxUs = value;
  }

  get count(): number {
    return this.total;
  }

  /** The latency below which `percent` of the recorded values fall, in microseconds (bucket upper bound). */
  percentileUs(percent: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.maxUs, 2 ** ((i + 1) / BUCKETS_PER_OCTAVE) - 1);
    }
    return this.maxUs;
  }

  summary(): LatencySummary {
    const toMs = (us: number | null): number | null => (us === null ? null : us / 1000);
    return {
      count: this.total,
      p50Ms: toMs(this.percentileUs(50)),
      p99Ms: toMs(this.percentileUs(99)),
      maxMs: this.total === 0 ? null : this.maxUs / 1000,
    };
  }
}
