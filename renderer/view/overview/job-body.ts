// A job's card: the run going on (else the latest) with its progress bar and elapsed
// time; Cancel while one runs, else Run again; the last runs as cells; the durations of
// finished runs over the range.

import { formatDuration } from '../../../server/protocol/event-vocabulary.ts';
import { finishedRuns, runningRun, type JobDetail, type JobRunView } from '../../model/overview/job-detail.ts';
import type { SourceEntry } from '../../model/overview/overview-model.ts';
import { el, setText } from '../element.ts';
import { setParts } from '../user-text.ts';
import type { CardBody, CardContext } from './card-context.ts';
import { ProgressBar } from './progress-bar.ts';
import { RunCells, runWords } from './run-cells.ts';
import { seriesWindow } from './series-window.ts';
import { TimeChart } from './time-chart.ts';

/** Cells in the "last runs" row. */
export const RUN_CELLS = 20;

export function elapsedOf(run: JobRunView, now: number): number {
  return run.end || run.state !== 'running' ? run.elapsedMs : run.elapsedMs + Math.max(0, now - run.elapsedAt);
}

export class JobBody implements CardBody<SourceEntry> {
  readonly element: HTMLElement;
  readonly charts: TimeChart[];
  readonly #running: HTMLElement;
  readonly #progress = new ProgressBar();
  readonly #lastLine: HTMLElement;
  readonly #cells = new RunCells();
  readonly #durations = new TimeChart({ label: 'Duration', kind: 'points', format: formatDuration });
  readonly #button: HTMLButtonElement;
  readonly #status: HTMLElement;
  #work: () => Promise<void> = async () => {};

  constructor() {
    this.#lastLine = el('p', { class: 'last-line' });
    this.#running = el('div', { class: 'job-running' }, [this.#progress.element, this.#lastLine]);
    this.#status = el('p', { class: 'action-status', attrs: { role: 'status' } });
    this.#button = el('button', { attrs: { type: 'button' }, on: { click: () => void this.#act() } });
    this.charts = [this.#durations];
    this.element = el('div', { class: 'job-body' }, [
      this.#running,
      el('div', { class: 'run-row' }, [this.#cells.element, this.#button]),
      this.#status,
      this.#durations.element,
    ]);
  }

  render(entry: SourceEntry, context: CardContext): void {
    const detail = entry.detail as JobDetail;
    const { now, range, actions } = context;
    const job = entry.source.name;
    const running = runningRun(detail);
    // The run going on, else the latest one (its bar full when it succeeded).
    const shown = running ?? detail.runs[detail.runs.length - 1] ?? null;
    this.#running.hidden = shown === null;
    if (shown) {
      const percent = shown.progress === null ? null : `${Math.round(shown.progress * 100)} %`;
      const elapsed = formatDuration(elapsedOf(shown, now));
      const words = shown.end
        ? `${shown.end.state} in ${elapsed}${percent && shown.end.state !== 'succeeded' ? ` at ${percent}` : ''}`
        : `${percent ?? 'progress not stated'}, ${elapsed} elapsed`;
      this.#progress.render(`${job} run ${shown.run}`, shown.progress, words);
      setParts(this.#lastLine, shown.lastLine ? [{ user: shown.lastLine }] : []);
    }
    if (running) {
      setText(this.#button, 'Cancel run');
      this.#button.setAttribute('aria-label', `Cancel run: ${job} run ${running.run}`);
      this.#work = () => actions.cancelRun(entry.server, job, running.run);
    } else {
      setText(this.#button, 'Run again');
      this.#button.setAttribute('aria-label', `Run again: ${job}`);
      this.#work = () => actions.runJob(entry.server, job);
    }
    this.#button.hidden = !actions.mayRunJob(entry.server, job);
    const finished = finishedRuns(detail, RUN_CELLS);
    this.#cells.render(finished);
    const window = seriesWindow(detail.durations, range, now, false);
    const last = finished[finished.length - 1];
    const caption =
      window.min === null
        ? `No run finished in ${range.words}${last ? `; the last: ${runWords(last)}` : ''}.`
        : `${window.values.length} run${window.values.length === 1 ? '' : 's'} finished ${window.words}, taking ${formatDuration(window.min)} to ${formatDuration(window.max!)}; the last: ${runWords(last!)}.`;
    this.#durations.update({ times: window.times, values: window.values, from: window.start, to: now, caption });
  }

  async #act(): Promise<void> {
    const label = this.#button.textContent ?? '';
    this.#button.disabled = true;
    setText(this.#status, `${label}…`);
    try {
      await this.#work();
      setText(this.#status, `${label}: done.`);
    } catch (error) {
      setText(this.#status, (error as Error).message);
    } finally {
      this.#button.disabled = false;
    }
  }
}
