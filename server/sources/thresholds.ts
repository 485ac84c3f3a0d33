// Threshold levels with hysteresis, shared by the system source and the probes.
// A value hovering at a line must not flap: a level is entered only after
// the value has stayed past its line for `holdMs`, and left only once the value is
// back inside the line by `marginPct` percent of the line.

import { worstLevel, type Level } from '../protocol/events.ts';

export interface Lines {
  warn: number;
  critical: number;
  /** `above`: trouble is high values (cpu, latency). `below`: trouble is low values. */
  direction: 'above' | 'below';
}

export interface Hysteresis {
  holdMs: number;
  marginPct: number;
}

export interface LevelChange {
  level: Level;
  previous: Level;
}

const RANK: Record<Level, number> = { ok: 0, warn: 1, critical: 2 };
const RAISED: readonly ('warn' | 'critical')[] = ['critical', 'warn'];

/** Lines from a config pair; `below` pairs list warn first too (warn above critical). */
export function linesFrom(pair: readonly [number, number], direction: Lines['direction']): Lines {
  return { warn: pair[0], critical: pair[1], direction };
}

/** One metric's level, fed a sample at a time. */
export class ThresholdTracker {
  private current: Level = 'ok';
  /** When the value started being continuously past each line (undefined: it is not). */
  private readonly pastSince: { warn?: number; critical?: number } = {};
  private readonly lines: Lines;
  private readonly hysteresis: Hysteresis;

  constructor(lines: Lines, hysteresis: Hysteresis) {
    this.lines = lines;
    this.hysteresis = hysteresis;
  }

  get level(): Level {
    return this.current;
  }

  /** The line a level is judged against, e.g. for alert messages. */
  line(level: 'warn' | 'critical'): number {
    return this.lines[level];
  }

  /** Feed one sample taken at `now`; returns the change of level, or null. */
  observe(value: number, now: number): LevelChange | null {
    if (!Number.isFinite(value)) return null;
    for (const level of RAISED) {
      if (this.isPast(value, this.lines[level], 0)) this.pastSince[level] ??= now;
      else delete this.pastSince[level];
    }
    // Raise: the highest level whose line the value has held past for holdMs.
    const held = RAISED.find((level) => {
      const since = this.pastSince[level];
      return since !== undefined && now - since >= this.hysteresis.holdMs;
    });
    // Keep: the highest level at or below the current one that the value has not
    // cleared by the margin. Lowering needs no hold: recovering late is the flap.
    const kept = RAISED.find(
      (level) => RANK[level] <= RANK[this.current] && this.isPast(value, this.lines[level], this.hysteresis.marginPct),
    );
    const next = worstLevel(held ?? 'ok', kept ?? 'ok');
    if (next === this.current) return null;
    const change = { level: next, previous: this.current };
    this.current = next;
    return change;
  }

  /** True when `value` is past `line`, with the line moved `marginPct` percent back toward normal. */
  private isPast(value: number, line: number, marginPct: number): boolean {
    const margin = (Math.abs(line) * marginPct) / 100;
    return this.lines.direction === 'above' ? value >= line - margin : value <= line + margin;
  }
}
