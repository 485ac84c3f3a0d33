// One chart of the overview, drawn by uPlot on canvas: a figure over time (a step
// line: a figure holds until its next update), message counts as bars, or job
// durations as points. Alert lines are drawn dashed and labelled, and the time a
// figure spent past them is shaded. Drag across it to zoom in; double-click or
// "Reset zoom" to go back. The canvas is hidden from screen readers: the caption says
// the current value and the range in words, and "Table" lists the points.
//
// uPlot is created only once the chart is on screen (attach), so fifty cards open
// fast; until then the caption already holds the words.

import uPlot from 'uplot';
import { el, setAttr, setText, uniqueId } from '../element.ts';
import { onThemeChange, palette } from '../theme.ts';
import { ChartTable } from './chart-table.ts';
import type { ChartData, ChartSpec } from './chart-types.ts';

export type { ChartData, ChartKind, ChartSpec } from './chart-types.ts';
import { clockTime } from '../time-words.ts';

const DEFAULT_HEIGHT = 84;

const HOUR_MINUTE = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const WITH_SECONDS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Time axis labels: clock times (with seconds under ten minutes), or days past a day and a half. */
function timeLabels(u: uPlot, splits: number[]): string[] {
  const span = (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0);
  const format = span > 36 * 3_600_000 ? DAY_MONTH : span < 10 * 60_000 ? WITH_SECONDS : HOUR_MINUTE;
  return splits.map((t) => format.format(t));
}

const resizer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
  for (const entry of entries) (entry.target as HTMLElement & { chart?: TimeChart }).chart?.fit();
});

export class TimeChart {
  readonly element: HTMLElement;
  readonly #spec: ChartSpec;
  readonly #plot: HTMLElement & { chart?: TimeChart };
  readonly #now: HTMLElement;
  readonly #readout: HTMLElement;
  readonly #caption: HTMLElement;
  readonly #reset: HTMLButtonElement;
  readonly #table: ChartTable;
  #uplot: uPlot | null = null;
  #data: ChartData | null = null;
  #zoom: { min: number; max: number } | null = null;
  #offTheme: (() => void) | null = null;

  constructor(spec: ChartSpec) {
    this.#spec = spec;
    const height = spec.height ?? DEFAULT_HEIGHT;
    this.#plot = el('div', { class: 'chart-plot', attrs: { 'aria-hidden': 'true' } });
    this.#plot.style.height = `${height}px`;
    this.#now = el('span', { class: 'chart-now' });
    this.#readout = el('span', { class: 'chart-readout', attrs: { 'aria-hidden': 'true' } });
    this.#reset = el('button', { class: 'chart-button', text: 'Reset zoom', attrs: { type: 'button', hidden: true }, on: { click: () => this.resetZoom() } });
    const captionId = uniqueId('chart-caption');
    this.#caption = el('figcaption', { class: 'chart-caption', attrs: { id: captionId } });
    this.#table = new ChartTable(spec);
    this.element = el('figure', { class: `chart chart-${spec.kind}`, attrs: { 'aria-labelledby': captionId } }, [
      el('div', { class: 'chart-head' }, [el('span', { class: 'chart-label', text: spec.label }), this.#now, this.#readout, this.#reset, this.#table.toggle]),
      this.#plot,
      this.#caption,
      this.#table.element,
    ]);
  }

  get attached(): boolean {
    return this.#uplot !== null;
  }

  update(data: ChartData): void {
    this.#data = data;
    const last = lastValue(data.values);
    setText(this.#now, data.headline ?? (last === null ? '–' : this.#spec.format(last)));
    setText(this.#caption, data.caption);
    // Nothing to draw: the head and the caption say so, without an empty grid.
    this.element.classList.toggle('chart-empty', last === null);
    this.#table.update(data);
    if (!this.#uplot) return;
    this.#uplot.setData(this.#aligned(data), false);
    this.#applyScale();
  }

  /** Create the canvas (the chart scrolled into view). */
  attach(): void {
    if (this.#uplot || !this.#data) return;
    const width = Math.max(120, this.#plot.clientWidth);
    this.#uplot = new uPlot(this.#options(width), this.#aligned(this.#data), this.#plot);
    this.#plot.chart = this;
    resizer?.observe(this.#plot);
    this.#offTheme = onThemeChange(() => this.#uplot?.redraw(false));
    this.#applyScale();
  }

  fit(): void {
    const width = this.#plot.clientWidth;
    if (this.#uplot && width > 0 && Math.abs(width - this.#uplot.width) > 1) this.#uplot.setSize({ width, height: this.#uplot.height });
  }

  resetZoom(): void {
    this.#zoom = null;
    setAttr(this.#reset, 'hidden', true);
    this.#applyScale();
  }

  destroy(): void {
    resizer?.unobserve(this.#plot);
    this.#offTheme?.();
    this.#uplot?.destroy();
    this.#uplot = null;
  }

  #applyScale(): void {
    const u = this.#uplot;
    const data = this.#data;
    if (!u || !data) return;
    const { min, max } = this.#zoom ?? { min: data.from, max: data.to };
    u.setScale('x', { min, max });
  }

  /** uPlot's columns; a step line is carried to the range's end (the value holds until now). */
  #aligned(data: ChartData): uPlot.AlignedData {
    const times = [...data.times];
    const values = [...data.values];
    if (this.#spec.kind === 'step' && times.length > 0 && times[times.length - 1]! < data.to) {
      times.push(data.to);
      values.push(values[values.length - 1] ?? null);
    }
    return [times, values];
  }

  #options(width: number): uPlot.Options {
    const spec = this.#spec;
    const colour = (pick: (p: ReturnType<typeof palette>) => string) => () => pick(palette());
    const font = '11px system-ui, sans-serif';
    const series: uPlot.Series = { label: spec.label, stroke: colour((p) => p.accent), width: 1.5 };
    if (spec.kind === 'step') Object.assign(series, { paths: uPlot.paths.stepped!({ align: 1 }), fill: colour((p) => withAlpha(p.accent, 0.14)), points: { show: false } });
    if (spec.kind === 'bars') Object.assign(series, { paths: uPlot.paths.bars!({ size: [0.8, 24], align: 1 }), fill: colour((p) => withAlpha(p.accent, 0.55)), points: { show: false } });
    if (spec.kind === 'points') Object.assign(series, { paths: () => null, points: { show: true, size: 7, stroke: colour((p) => p.accent), fill: colour((p) => p.accent) } });
    const axis = { stroke: colour((p) => p.fgSoft), grid: { stroke: colour((p) => withAlpha(p.border, 0.6)), width: 1 }, ticks: { show: false }, font };
    return {
      width,
      height: spec.height ?? DEFAULT_HEIGHT,
      ms: 1,
      legend: { show: false },
      // Room at the right for the last time label.
      padding: [6, 16, 0, 0],
      cursor: {
        y: false,
        points: { show: spec.kind !== 'bars' },
        drag: { x: true, y: false, setScale: true },
        bind: { dblclick: () => () => (this.resetZoom(), null) },
      },
      scales: { x: { time: true, auto: false }, y: { range: (_u, min, max) => this.#yRange(min, max) } },
      axes: [
        { ...axis, size: 22, space: 64, values: timeLabels },
        { ...axis, size: 44, space: 24, values: (_u, splits) => splits.map((v) => compact(v)) },
      ],
      series: [{}, series],
      hooks: {
        drawClear: [(u) => this.#shade(u)],
        draw: [(u) => this.#drawLines(u)],
        // A drag across the plot zooms (cursor.drag.setScale); the selection says where to.
        setSelect: [
          (u) => {
            if (u.select.width <= 0) return;
            this.#zoom = { min: u.posToVal(u.select.left, 'x'), max: u.posToVal(u.select.left + u.select.width, 'x') };
            setAttr(this.#reset, 'hidden', false);
          },
        ],
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            const time = i === null || i === undefined ? undefined : u.data[0][i];
            const value = i === null || i === undefined ? undefined : u.data[1]![i];
            setText(this.#readout, time === undefined || value === null || value === undefined ? '' : `${clockTime(time)}: ${spec.format(value)}`);
          },
        ],
      },
    };
  }

  #yRange(min: number | null, max: number | null): uPlot.Range.MinMax {
    const lines = this.#data?.lines?.lines;
    const top = this.#spec.yMax ?? Math.max(max ?? 1, 0) * 1.15;
    // A line near the data is drawn; one far above it would flatten the figure (the caption names it).
    const line = lines ? Math.max(...lines) : 0;
    const withLine = this.#spec.yMax === undefined && line > 0 && line <= top * 3 ? Math.max(top, line * 1.08) : top;
    return [Math.min(0, min ?? 0), withLine || 1];
  }

  /** Shade the spans a step line spent past a line: warning tint, critical tint. */
  #shade(u: uPlot): void {
    const lines = this.#data?.lines;
    if (this.#spec.kind !== 'step' || !lines) return;
    const [times, values] = u.data as [number[], (number | null)[]];
    const p = palette();
    const past = (v: number, line: number) => (lines.direction === 'above' ? v >= line : v <= line);
    const { top, height } = u.bbox;
    for (let i = 0; i < times.length - 1; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      const level = past(v, lines.lines[1]) ? p.criticalBg : past(v, lines.lines[0]) ? p.warnBg : null;
      if (!level) continue;
      const x0 = u.valToPos(times[i]!, 'x', true);
      const x1 = u.valToPos(times[i + 1]!, 'x', true);
      u.ctx.fillStyle = level;
      u.ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
    }
  }

  /** The warn and critical lines, dashed differently and labelled (not colour alone). */
  #drawLines(u: uPlot): void {
    const lines = this.#data?.lines?.lines;
    if (!lines) return;
    const p = palette();
    const { ctx } = u;
    const { left, width, top, height } = u.bbox;
    const ratio = uPlot.pxRatio;
    ctx.save();
    ctx.font = `${10 * ratio}px system-ui, sans-serif`;
    // Labels apart (warn at the left, critical at the right): close lines do not overprint.
    ([['warn', lines[0], p.warn, [5, 3], 'left'], ['critical', lines[1], p.critical, [2, 2], 'right']] as const).forEach(([word, value, stroke, dash, align]) => {
      const y = u.valToPos(value, 'y', true);
      if (y < top || y > top + height) return;
      ctx.strokeStyle = stroke;
      ctx.fillStyle = stroke;
      ctx.lineWidth = ratio;
      ctx.setLineDash(dash.map((d) => d * ratio));
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.textAlign = align;
      // Above its line, or below it when the line runs along the top of the plot.
      const below = y - 11 * ratio < top;
      ctx.textBaseline = below ? 'top' : 'bottom';
      ctx.fillText(`${word} ${compact(value)}`, align === 'left' ? left + 2 * ratio : left + width - 2 * ratio, below ? y + ratio : y - ratio);
    });
    ctx.restore();
  }
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i]!;
  return null;
}

/** 1200 -> 1.2k, 0.25 -> 0.25: axis labels stay short. */
function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Math.round(value / 1e5) / 10}M`;
  if (abs >= 1e3) return `${Math.round(value / 100) / 10}k`;
  return String(Math.round(value * 100) / 100);
}

/** `rgb(1, 2, 3)` with an alpha: `rgb(1 2 3 / 0.2)`. */
function withAlpha(colour: string, alpha: number): string {
  const match = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)/.exec(colour);
  return match ? `rgb(${match[1]} ${match[2]} ${match[3]} / ${alpha})` : colour;
}
