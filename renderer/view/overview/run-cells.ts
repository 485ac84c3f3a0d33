// A job's last runs as a row of cells, oldest first: colour, an icon (✓ ▲ ✖) and, in
// words for hover and screen readers, the run, its result, exit code and duration.

import { endResultText, levelOf } from '../../../server/protocol/event-vocabulary.ts';
import type { JobRunView } from '../../model/overview/job-detail.ts';
import { el } from '../element.ts';
import { LEVEL_ICON } from '../level-look.ts';

export function runWords(run: JobRunView): string {
  // Without the run's summary (its output's last lines): only Herald's words go in a tooltip.
  return run.end ? `run ${run.run}: ${endResultText({ ...run.end, summary: '' })}` : `run ${run.run}: ${run.state}`;
}

export class RunCells {
  readonly element: HTMLOListElement;
  #signature = '';

  constructor() {
    this.element = el('ol', { class: 'run-cells', attrs: { 'aria-label': 'Last runs, oldest first' } });
  }

  render(runs: readonly JobRunView[]): void {
    const signature = runs.map((r) => `${r.run}:${r.state}`).join(',');
    if (signature === this.#signature) return;
    this.#signature = signature;
    this.element.replaceChildren(
      ...runs.map((run) => {
        const level = run.end ? levelOf({ id: '', type: 'end', data: run.end }) : 'info';
        const words = runWords(run);
        return el('li', { class: `run-cell level-${level}`, attrs: { title: words } }, [
          el('span', { class: 'run-icon', text: LEVEL_ICON[level], attrs: { 'aria-hidden': 'true' } }),
          el('span', { class: 'visually-hidden', text: words }),
        ]);
      }),
    );
  }
}
