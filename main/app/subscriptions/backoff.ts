// Reconnection delays: exponential with "equal jitter" (half fixed, half random, as in
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), so many
// clients that lost the same server do not come back in lockstep. Never below the
// floor: the server's `retry:` field, or a Retry-After it sent with a 429/503.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

/** The delay before attempt number `attempt` (0 for the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, floorMs: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.max(floorMs, jittered));
}
