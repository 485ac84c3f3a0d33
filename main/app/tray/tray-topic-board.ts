// What the tray needs to remember about the events seen: each source's level (the
// fold the window's overview uses too, server/protocol/source-status.ts), the last few
// events worth a menu entry, and how many alarms came since the history window was
// last opened (the badge). A small state container fed by the subscription manager;
// tray-state.ts turns it into the tray's look.

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { describeEvent, type EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import { SourceLevels, type SourceState } from '../../../server/protocol/source-status.ts';

export interface RecentEvent {
  serverId: string;
  eventId: string;
  topic: string;
  type: HeraldEvent['type'];
  title: string;
  time: number;
  level: EventLevel;
}

export const RECENT_LIMIT = 10;

export class TopicBoard {
  readonly #sources = new SourceLevels();
  #recent: RecentEvent[] = [];
  #unacknowledged = 0;
  readonly #recentLimit: number;

  constructor(recentLimit = RECENT_LIMIT) {
    this.#recentLimit = recentLimit;
  }

  /** Fold an event in; `isNew` false for one already seen (a replay after a reconnect): no second alarm. */
  apply(serverId: string, event: HeraldEvent, isNew = true): void {
    const { topic } = event.data;
    this.#sources.apply(serverId, event);
    // Updates are statuses, often many a second: the menu lists what someone would click.
    if (event.type !== 'update') {
      const { title, level } = describeEvent(event);
      const recent = { serverId, eventId: event.id, topic, type: event.type, title, time: event.data.time, level };
      this.#recent = [recent, ...this.#recent].slice(0, this.#recentLimit);
      // An alarm (a warning or critical alert, a failed run, an urgent message) waits to be seen.
      if (isNew && (level === 'warn' || level === 'critical')) this.#unacknowledged++;
    }
  }

  /** Alarms since the history window was last opened. */
  get unacknowledged(): number {
    return this.#unacknowledged;
  }

  /** The history window was opened: the alarms have been seen. */
  acknowledge(): void {
    this.#unacknowledged = 0;
  }

  /** Forget a server's topics (it was removed from the settings). */
  forgetServer(serverId: string): void {
    this.#sources.forgetServer(serverId);
    this.#recent = this.#recent.filter((entry) => entry.serverId !== serverId);
  }

  /** Every source's level and why. */
  sources(): SourceState[] {
    return this.#sources.states();
  }

  recent(): RecentEvent[] {
    return [...this.#recent];
  }
}
