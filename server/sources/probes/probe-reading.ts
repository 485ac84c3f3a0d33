// What one check of a probe found: a value, or why there is none.

export type ProbeReading =
  | {
      ok: true;
      /** The probe's value: the JSON pointer's value, the command's stdout, or the HTTP status. */
      value: unknown;
      httpStatus?: number;
      latencyMs?: number;
    }
  | {
      ok: false;
      /** `reachable` (no answer), `status` (unexpected HTTP status), `value` (no value in the answer). */
      metric: 'reachable' | 'status' | 'value';
      reason: string;
      httpStatus?: number;
      latencyMs?: number;
    };

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A number for a number or a numeric string ("43000.12", as many price APIs send), else null. */
export function numericValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return null;
}
