// Where an ntfy subscription starts (ntfy's server/server.go `parseSince`): `since=`
// (aliases `X-Since`, `si`) is `all`, `latest` (each topic's newest message), `none`,
// a message id this server sent, a Unix time in seconds, or a Go duration back from
// now (`10m`, `1h30m`, `90s`). Nothing given means nothing old, except with `poll=1`,
// which means everything retained.

import { HeraldError } from '../../protocol/errors.ts';
import type { EventLog } from '../../store/event-log.ts';
import { heraldIdOf } from './ntfy-message.ts';

export type NtfySince =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'latest' }
  /** After this Herald id (exclusive). */
  | { kind: 'id'; id: string }
  /** Messages at or after this time, epoch milliseconds. */
  | { kind: 'time'; ms: number };

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** A Go duration (`time.ParseDuration`: `10m`, `1h30m`, `1.5h`, `-5s`) in milliseconds, or null. */
export function parseGoDuration(text: string): number | null {
  if (text === '0') return 0;
  if (!DURATION.test(text)) return null;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  return text.startsWith('-') ? -ms : ms;
}

export function parseSince(raw: string, poll: boolean, now: number, log: Pick<EventLog, 'isValidId'>): NtfySince {
  if (raw === '') return poll ? { kind: 'all' } : { kind: 'none' };
  if (raw === 'all' || raw === 'none' || raw === 'latest') return { kind: raw };
  const id = heraldIdOf(raw, log);
  if (id !== null) return { kind: 'id', id };
  if (/^-?\d{1,15}$/.test(raw)) return { kind: 'time', ms: Number(raw) * 1000 };
  const duration = parseGoDuration(raw);
  if (duration !== null && Number.isFinite(duration)) return { kind: 'time', ms: now - duration };
  throw new HeraldError(
    'bad_id',
    `expected since= to be all, latest, none, a message id from this server (h…), a Unix time in seconds or a duration such as 10m or 1h30m, got ${JSON.stringify(raw.slice(0, 80))}`,
  );
}
