// Points in time order, as charts want them: two parallel arrays (uPlot's data
// layout), bounded in age and count. Points arrive mostly in order (history oldest
// first, then live events); one that is older than the last is put in its place.

import { KEEP_MS } from './time-range.ts';

export const MAX_POINTS = 20_000;

/** Old points are dropped in batches, not one per push (a splice moves every point). */
const TRIM_EVERY = 512;

export class TimeSeries<T = number> {
  readonly times: number[] = [];
  readonly values: T[] = [];
  #pushes = 0;

  get length(): number {
    return this.times.length;
  }

  get lastTime(): number | undefined {
    return this.times[this.times.length - 1];
  }

  get lastValue(): T | undefined {
    return this.values[this.values.length - 1];
  }

  push(time: number, value: T): void {
    const last = this.lastTime;
    if (last === undefined || time >= last) {
      this.times.push(time);
      this.values.push(value);
    } else {
      const at = indexAfter(this.times, time);
      this.times.splice(at, 0, time);
      this.values.splice(at, 0, value);
    }
    if (++this.#pushes % TRIM_EVERY === 0 || this.times.length > MAX_POINTS + TRIM_EVERY) this.#trim();
  }

  clear(): void {
    this.times.length = 0;
    this.values.length = 0;
  }

  /** The index of the last point at or before `time`, or -1. */
  indexAt(time: number): number {
    return indexAfter(this.times, time) - 1;
  }

  /** Keep at most MAX_POINTS, and of those older than KEEP_MS only the newest (it says what held since). */
  #trim(): void {
    const oldest = (this.lastTime ?? 0) - KEEP_MS;
    let cut = Math.max(0, this.times.length - MAX_POINTS);
    while (cut < this.times.length - 1 && this.times[cut + 1]! <= oldest) cut++;
    if (cut > 0) {
      this.times.splice(0, cut);
      this.values.splice(0, cut);
    }
  }
}

/** The first index whose time is after `time` (binary search over sorted times). */
export function indexAfter(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}
