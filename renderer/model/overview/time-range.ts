// The time ranges the overview's charts show, and how they are cut into cells and bars.

export type RangeName = '1h' | '24h' | '7d';

export interface TimeRange {
  name: RangeName;
  /** How the range selector says it. */
  label: string;
  /** How a sentence says it: "over the last hour". */
  words: string;
  ms: number;
  /** Cells of an uptime strip. */
  cells: number;
  /** Bars of a message count chart, and how one is said ("per 5 minutes"). */
  bucketMs: number;
  bucketWords: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const RANGES: Record<RangeName, TimeRange> = {
  '1h': { name: '1h', label: 'Hour', words: 'the last hour', ms: HOUR, cells: 60, bucketMs: 5 * MINUTE, bucketWords: 'per 5 minutes' },
  '24h': { name: '24h', label: 'Day', words: 'the last 24 hours', ms: DAY, cells: 96, bucketMs: HOUR, bucketWords: 'per hour' },
  '7d': { name: '7d', label: 'Week', words: 'the last 7 days', ms: 7 * DAY, cells: 84, bucketMs: 6 * HOUR, bucketWords: 'per 6 hours' },
};

export function isRangeName(value: unknown): value is RangeName {
  return value === '1h' || value === '24h' || value === '7d';
}

/** What the model keeps of a source's history: the longest range, and a day more. */
export const KEEP_MS = 8 * DAY;
