// A probe's card: the uptime strip over the chosen range, uptime over 24 hours and 7
// days, and a chart of its value (when it is a number) or else its latency.

import type { SourceEntry } from '../../model/overview/overview-model.ts';
import type { ProbeDetail } from '../../model/overview/probe-detail.ts';
import { DAY } from '../../model/overview/time-range.ts';
import { stripCells, uptimeOf, type Uptime } from '../../model/overview/uptime.ts';
import { formatDuration } from '../../../server/protocol/event-vocabulary.ts';
import { el, setText } from '../element.ts';
import type { CardBody, CardContext } from './card-context.ts';
import { seriesWindow } from './series-window.ts';
import { TimeChart } from './time-chart.ts';
import { UptimeStrip } from './uptime-strip.ts';

/** `99.8 %` (rounded down: 99.96 % is not 100 %), or `–` when nothing is known. */
function percentOf(uptime: Uptime): string {
  return uptime.ratio === null ? '–' : `${Math.floor(uptime.ratio * 1000) / 10} %`;
}

export class ProbeBody implements CardBody<SourceEntry> {
  readonly element: HTMLElement;
  readonly charts: TimeChart[];
  readonly #strip = new UptimeStrip('Checks');
  readonly #day: HTMLElement;
  readonly #week: HTMLElement;
  readonly #known: HTMLElement;
  readonly #value = new TimeChart({ label: 'Value', kind: 'step', format: (v) => String(Math.round(v * 100) / 100) });
  readonly #latency = new TimeChart({ label: 'Latency', kind: 'step', format: (v) => `${Math.round(v)} ms` });

  constructor() {
    this.#day = el('dd');
    this.#week = el('dd');
    this.#known = el('span', { class: 'uptime-known' });
    const stats = el('dl', { class: 'uptime-stats', attrs: { 'aria-label': 'Uptime' } }, [
      el('div', {}, [el('dt', { text: 'Uptime 24 h' }), this.#day]),
      el('div', {}, [el('dt', { text: '7 d' }), this.#week]),
    ]);
    this.charts = [this.#value, this.#latency];
    this.element = el('div', { class: 'probe-body' }, [this.#strip.element, el('div', { class: 'uptime-row' }, [stats, this.#known]), this.#value.element, this.#latency.element]);
  }

  render(entry: SourceEntry, context: CardContext): void {
    const detail = entry.detail as ProbeDetail;
    const { now, range } = context;
    const from = now - range.ms;
    this.#strip.setLabel(`Checks over ${range.words}, one cell per ${formatDuration(range.ms / range.cells)}`);
    this.#strip.render(stripCells(detail.checks, from, now, range.cells), now);
    const day = uptimeOf(detail.checks, now - DAY, now);
    const week = uptimeOf(detail.checks, now - 7 * DAY, now);
    setText(this.#day, percentOf(day));
    setText(this.#week, percentOf(week));
    // Checks known for less than the week: say how long, so 100 % of an hour is not read as a week.
    setText(this.#known, week.ratio !== null && week.knownMs < 7 * DAY * 0.99 ? `known for ${formatDuration(week.knownMs)}` : '');

    // The value when it is a number, else the latency.
    const { values, latencies } = detail;
    const showValue = values.length > 0;
    this.#value.element.hidden = !showValue;
    this.#latency.element.hidden = showValue;
    const chart = showValue ? this.#value : this.#latency;
    const series = showValue ? values : latencies;
    const lines = showValue ? (detail.thresholds.above ?? detail.thresholds.below) : detail.thresholds.latencyMs;
    const direction = showValue && !detail.thresholds.above && detail.thresholds.below ? 'below' : 'above';
    const window = seriesWindow(series, range, now);
    const what = showValue ? 'Value' : 'Latency';
    const format = showValue ? (v: number) => String(Math.round(v * 100) / 100) : (v: number) => `${Math.round(v)} ms`;
    const caption =
      window.min === null
        ? `${what}: nothing in ${range.words}.`
        : `${what} ${format(window.values[window.values.length - 1]!)} at the last change, ${format(window.min)} to ${format(window.max!)} ${window.words}${lines ? `; warn line ${format(lines[0])}, critical line ${format(lines[1])}` : ''}.`;
    chart.update({ times: window.times, values: window.values, from: window.start, to: now, lines: lines ? { lines, direction } : null, caption });
  }
}
