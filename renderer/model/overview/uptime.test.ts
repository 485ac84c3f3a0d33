import { describe, expect, it } from 'vitest';
import type { ProbeCheck } from './probe-detail.ts';
import { TimeSeries } from './time-series.ts';
import { countPerBucket, stripCells, timeAtOrAbove, uptimeOf } from './uptime.ts';

const check = (time: number, up: boolean, level: ProbeCheck['level'] = up ? 'ok' : 'critical'): ProbeCheck => ({ time, up, level, text: up ? '200' : 'refused', value: null, latencyMs: null });

function checks(...list: ProbeCheck[]): TimeSeries<ProbeCheck> {
  const series = new TimeSeries<ProbeCheck>();
  for (const c of list) series.push(c.time, c);
  return series;
}

describe('uptime over a range, from states that hold until the next', () => {
  it('weighs each state by how long it held, and counts only the known part of the range', () => {
    const probe = checks(check(100, true), check(200, false), check(250, true));
    // Known from 100 to 400 (300), down from 200 to 250 (50).
    expect(uptimeOf(probe, 0, 400)).toEqual({ ratio: 250 / 300, knownMs: 300, downMs: 50 });
    // The state before the range holds into it.
    expect(uptimeOf(probe, 220, 240)).toEqual({ ratio: 0, knownMs: 20, downMs: 20 });
    expect(uptimeOf(probe, 0, 50).ratio).toBeNull();
  });

  it('cuts the range into cells, each with the worst state that held in it', () => {
    const probe = checks(check(100, true), check(205, false), check(210, true), check(330, true, 'warn'));
    const cells = stripCells(probe, 0, 400, 4);
    expect(cells.map((c) => c.level)).toEqual([null, 'ok', 'critical', 'warn']);
    expect(cells[2]?.check?.text).toBe('refused');
    expect(cells.map((c) => [c.from, c.to])).toEqual([[0, 100], [100, 200], [200, 300], [300, 400]]);
  });

  it('says how long a figure stayed at or above a line', () => {
    const cpu = new TimeSeries();
    for (const [t, v] of [[0, 10], [100, 85], [130, 95], [160, 40]] as const) cpu.push(t, v);
    expect(timeAtOrAbove(cpu, 80, 0, 200)).toBe(60);
    expect(timeAtOrAbove(cpu, 90, 0, 200)).toBe(30);
    expect(timeAtOrAbove(cpu, 80, 140, 150)).toBe(10);
  });

  it('counts times per aligned bucket', () => {
    expect(countPerBucket([5, 9, 10, 25, 39], 0, 40, 10)).toEqual({ starts: [0, 10, 20, 30], counts: [2, 1, 1, 1] });
    expect(countPerBucket([], 15, 30, 10)).toEqual({ starts: [10, 20], counts: [0, 0] });
  });
});

describe('TimeSeries', () => {
  it('keeps points in time order when one arrives late', () => {
    const series = new TimeSeries();
    for (const t of [10, 30, 20, 30, 5]) series.push(t, t);
    expect(series.times).toEqual([5, 10, 20, 30, 30]);
    expect(series.indexAt(25)).toBe(2);
    expect(series.indexAt(1)).toBe(-1);
  });
});
