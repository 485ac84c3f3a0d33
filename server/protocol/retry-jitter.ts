// The `retry:` a stream is told. EventSource waits exactly that long before it
// reconnects (HTML Standard, 9.2.3), so if every stream were told the same delay, a
// restart would bring every client back in the same millisecond. Each stream is told
// its own delay, drawn evenly from [base, 2 x base]: never sooner than the configured
// `--retry-ms`, and a storm of N reconnects spread over one base period.

/** A delay in [baseMs, 2 x baseMs], whole milliseconds. `random` returns [0, 1). */
export function jitteredRetryMs(baseMs: number, random: () => number = Math.random): number {
  if (!Number.isInteger(baseMs) || baseMs < 0) {
    throw new RangeError(`expected the retry base to be a non-negative integer of milliseconds, got ${baseMs}`);
  }
  const draw = random();
  // A random source outside [0, 1) (or NaN) must not push the delay outside the range.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.min(2 * baseMs, baseMs + Math.floor(unit * (baseMs + 1)));
}
