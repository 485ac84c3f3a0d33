// The longest durations Herald accepts, in one place for the config schema's test,
// the schedule parser and the command-line flags. Timers themselves wait any length
// (server/protocol/long-timer.ts); these bounds keep values sane, and a value past
// one is refused with a message that names the bound.

/** Job timeouts and schedules, probe intervals and timeouts, sampling intervals, hold times: 365 days. */
export const MAX_DURATION_SEC = 365 * 24 * 60 * 60;

/** Seconds between heartbeat comments (server and `herald watch`): an hour. */
export const MAX_HEARTBEAT_SEC = 3600;

/** How long a dead leader's Redis lease blocks the others: an hour. */
export const MAX_LEASE_SEC = 3600;

/** The reconnect delay sent to clients: an hour. */
export const MAX_RETRY_MS = 3_600_000;

/** Days events are kept: a hundred years. */
export const MAX_RETAIN_DAYS = 36_500;
