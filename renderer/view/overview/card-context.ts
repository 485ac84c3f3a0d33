// What every card of the overview is drawn with: the time, the chosen range, and the
// actions a card offers (run a job again, cancel its run, show a topic's events).

import type { TimeRange } from '../../model/overview/time-range.ts';
import type { TimeChart } from './time-chart.ts';

export interface CardActions {
  runJob(server: string, job: string): Promise<void>;
  cancelRun(server: string, job: string, run: string): Promise<void>;
  /** Whether this window may start and cancel the job (a scoped token may not: the buttons are hidden). */
  mayRunJob(server: string, job: string): boolean;
  /** Switch to the event list, showing only this topic (or pattern). */
  showTopic(server: string, topic: string): void;
}

export interface CardContext {
  now: number;
  range: TimeRange;
  actions: CardActions;
}

/** A card's kind-specific part. */
export interface CardBody<E> {
  readonly element: HTMLElement;
  render(entry: E, context: CardContext): void;
  /** Its charts, created once on screen. */
  readonly charts: readonly TimeChart[];
}
