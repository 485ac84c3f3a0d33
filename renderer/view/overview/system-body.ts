// The `system` card: CPU, memory, disk and load over the chosen range, each with its
// alert lines and the time spent past them, in a chart and in words.

import { formatDuration } from '../../../server/protocol/event-vocabulary.ts';
import type { SourceEntry } from '../../model/overview/overview-model.ts';
import { SYSTEM_METRICS, type SystemDetail, type SystemMetric } from '../../model/overview/system-detail.ts';
import { timeAtOrAbove } from '../../model/overview/uptime.ts';
import { el } from '../element.ts';
import type { CardBody, CardContext } from './card-context.ts';
import { seriesWindow } from './series-window.ts';
import { TimeChart } from './time-chart.ts';

const percent = (value: number): string => `${Math.round(value * 10) / 10} %`;
const plain = (value: number): string => String(Math.round(value * 100) / 100);

const LOOK: Record<SystemMetric, { label: string; format(value: number): string; yMax?: number }> = {
  cpu: { label: 'CPU', format: percent, yMax: 100 },
  memory: { label: 'Memory', format: percent, yMax: 100 },
  disk: { label: 'Disk', format: percent, yMax: 100 },
  load: { label: 'Load', format: plain },
};

export class SystemBody implements CardBody<SourceEntry> {
  readonly element: HTMLElement;
  readonly charts: TimeChart[];
  readonly #byMetric: Record<SystemMetric, TimeChart>;

  constructor() {
    this.#byMetric = Object.fromEntries(SYSTEM_METRICS.map((metric) => [metric, new TimeChart({ ...LOOK[metric], kind: 'step' })])) as Record<SystemMetric, TimeChart>;
    this.charts = SYSTEM_METRICS.map((metric) => this.#byMetric[metric]);
    this.element = el('div', { class: 'chart-grid' }, this.charts.map((chart) => chart.element));
  }

  render(entry: SourceEntry, context: CardContext): void {
    const detail = entry.detail as SystemDetail;
    const to = context.now;
    const from = to - context.range.ms;
    for (const metric of SYSTEM_METRICS) {
      const look = LOOK[metric];
      const window = seriesWindow(detail.series[metric], context.range, to);
      const lines = detail.thresholds[metric] ?? null;
      const label = metric === 'disk' && detail.mounts.length > 1 ? `Disk (fullest of ${detail.mounts.length} mounts)` : look.label;
      const words: string[] = [];
      if (window.min === null) words.push(`${label}: no samples in ${context.range.words}`);
      else {
        const now = window.values[window.values.length - 1]!;
        words.push(`${label} ${look.format(now)} now, ${look.format(window.min)} to ${look.format(window.max!)} ${window.words}`);
      }
      if (lines && window.min !== null) {
        const warn = timeAtOrAbove(detail.series[metric], lines[0], from, to);
        const critical = timeAtOrAbove(detail.series[metric], lines[1], from, to);
        words.push(
          warn === 0
            ? `never at the warn line (${look.format(lines[0])})`
            : `at or above the warn line (${look.format(lines[0])}) for ${formatDuration(warn)}${critical > 0 ? `, the critical line (${look.format(lines[1])}) for ${formatDuration(critical)}` : ''}`,
        );
      }
      this.#byMetric[metric].update({ times: window.times, values: window.values, from: window.start, to, lines: lines ? { lines, direction: 'above' } : null, caption: `${words.join('; ')}.` });
    }
  }
}

/** The card's one line: the figures now. */
export function systemLine(detail: SystemDetail): string {
  const parts: string[] = [];
  for (const metric of SYSTEM_METRICS) {
    const value = detail.series[metric].lastValue;
    // "CPU 24 %, memory 61 %": the first word as it is, the others in lower case (CPU stays CPU).
    const label = parts.length === 0 ? LOOK[metric].label : LOOK[metric].label.toLowerCase();
    if (value !== undefined) parts.push(`${label === 'cpu' ? 'CPU' : label} ${LOOK[metric].format(value)}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'No samples yet';
}
