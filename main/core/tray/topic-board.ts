// What the tray needs to remember about the events seen: the current alert level of
// each topic, which topics ended, and the last few events worth a menu entry. A small
// state container fed by the subscription manager; tray-state.ts turns it into the
// tray's look.

import type { HeraldEvent, Level } from '../../../server/protocol/events.ts';
import { describeEvent, type EventLevel } from '../../../server/protocol/event-vocabulary.ts';

export interface TopicLevel {
  serverId: string;
  topic: string;
  level: Level;
  /** The alert's message, for the tooltip. */
  message: string;
  ended: boolean;
}

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

function key(serverId: string, topic: string): string {
  return `${serverId}\n${topic}`;
}

export class TopicBoard {
  readonly #levels = new Map<string, TopicLevel>();
  #recent: RecentEvent[] = [];
  readonly #recentLimit: number;

  constructor(recentLimit = RECENT_LIMIT) {
    this.#recentLimit = recentLimit;
  }

  apply(serverId: string, event: HeraldEvent): void {
    const { topic } = event.data;
    if (event.type === 'alert') {
      this.#levels.set(key(serverId, topic), { serverId, topic, level: event.data.level, message: event.data.message, ended: false });
    }
    if (event.type === 'end') {
      const known = this.#levels.get(key(serverId, topic));
      if (known) known.ended = true;
    }
    // Updates are statuses, often many a second: the menu lists what someone would click.
    if (event.type !== 'update') {
      const { title, level } = describeEvent(event);
      const recent = { serverId, eventId: event.id, topic, type: event.type, title, time: event.data.time, level };
      this.#recent = [recent, ...this.#recent].slice(0, this.#recentLimit);
    }
  }

  /** Forget a server's topics (it was removed from the settings). */
  forgetServer(serverId: string): void {
    for (const [k, entry] of this.#levels) if (entry.serverId === serverId) this.#levels.delete(k);
    this.#recent = this.#recent.filter((entry) => entry.serverId !== serverId);
  }

  levels(): TopicLevel[] {
    return [...this.#levels.values()];
  }

  recent(): RecentEvent[] {
    return [...this.#recent];
  }
}
