// Redis stream ids are the event ids of the Redis log: `<ms>-<seq>`, two unsigned
// 64-bit integers (https://redis.io/docs/latest/develop/data-types/streams/#entry-ids).
// Redis generates them strictly increasing within a stream, so with one stream they
// totally order every event, and a client can resume on any instance with an id it
// got from another.

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
const MAX_U64 = (1n << 64n) - 1n;

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

/** The parsed id, or null when `raw` is not a Redis stream id. */
export function parseStreamId(raw: string): StreamId | null {
  const match = STREAM_ID.exec(raw);
  if (!match) return null;
  const ms = BigInt(match[1] ?? '');
  const seq = BigInt(match[2] ?? '');
  if (ms > MAX_U64 || seq > MAX_U64) return null;
  return { ms, seq };
}

export function isStreamId(raw: string): boolean {
  return parseStreamId(raw) !== null;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` in the stream. */
export function compareStreamIds(a: string, b: string): number {
  const left = parseStreamId(a);
  const right = parseStreamId(b);
  if (!left || !right) {
    throw new TypeError(`expected two Redis stream ids (<ms>-<seq>), got ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  }
  if (left.ms !== right.ms) return left.ms < right.ms ? -1 : 1;
  if (left.seq !== right.seq) return left.seq < right.seq ? -1 : 1;
  return 0;
}

/** The id in its canonical form (no leading zeros), so equal ids compare equal as strings too. */
export function canonicalStreamId(raw: string): string | null {
  const id = parseStreamId(raw);
  return id ? `${id.ms}-${id.seq}` : null;
}

/** The smallest id, used as "before everything" in XREAD and comparisons. */
export const STREAM_START = '0-0';
