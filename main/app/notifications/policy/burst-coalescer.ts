// Coalescing bursts, per topic. Within a window of `windowMs` that opens with a
// topic's first notification, the first `maxPerWindow` notifications are shown one by
// one; later ones are held and, when the window closes, shown as one digest ("7
// updates on job/build"). A window that closes with a digest opens the next one in
// burst mode (everything held), so a ticker at 50 updates/s yields maxPerWindow
// notifications and then one digest per window, until a window passes quietly.

import type { CoalesceSettings } from '../../settings/settings-schema.ts';
import { higherUrgency, type DesktopNotification } from './desktop-notification.ts';

interface TopicWindow {
  closesAt: number;
  shown: number;
  held: number;
  /** The last held notification: null exactly when nothing is held. */
  latest: DesktopNotification | null;
  /** The highest urgency held; a window starts at the lowest, 'low'. */
  urgency: DesktopNotification['urgency'];
}

/** Whether to show the offered notification now, and digests of windows that closed meanwhile. */
export interface Offer {
  show: boolean;
  closed: DesktopNotification[];
}

export function digestOf(held: number, latest: DesktopNotification, urgency: DesktopNotification['urgency']): DesktopNotification {
  const noun = held === 1 ? 'update' : 'updates';
  return {
    ...latest,
    key: `${latest.key}#digest`,
    kind: 'digest',
    count: held,
    title: `${held} ${noun} on ${latest.topic}`,
    body: latest.body ? `Latest: ${latest.title}: ${latest.body}` : `Latest: ${latest.title}`,
    urgency,
  };
}

export class BurstCoalescer {
  #settings: CoalesceSettings;
  readonly #windows = new Map<string, TopicWindow>();

  constructor(settings: CoalesceSettings) {
    this.#settings = settings;
  }

  set settings(settings: CoalesceSettings) {
    this.#settings = settings;
  }

  /** Offer a notification for `key` (server and topic). Also returns digests of windows that closed before `now`. */
  offer(key: string, notification: DesktopNotification, now: number): Offer {
    const closed = this.#closeWindow(key, now);
    const window = this.#windows.get(key);
    if (!window) {
      this.#windows.set(key, { closesAt: now + this.#settings.windowMs, shown: 1, held: 0, latest: null, urgency: 'low' });
      return { show: true, closed };
    }
    if (window.shown < this.#settings.maxPerWindow) {
      window.shown++;
      return { show: true, closed };
    }
    window.held++;
    window.latest = notification;
    window.urgency = higherUrgency(window.urgency, notification.urgency);
    return { show: false, closed };
  }

  /** Digests of every window that closed by `now`. */
  due(now: number): DesktopNotification[] {
    return [...this.#windows.keys()].flatMap((key) => this.#closeWindow(key, now));
  }

  /** When the next digest is due, or null if nothing is held. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const window of this.#windows.values()) {
      if (window.held > 0 && (next === null || window.closesAt < next)) next = window.closesAt;
    }
    return next;
  }

  /** Forget a topic (it ended): its held notifications are returned as a digest now. */
  flush(key: string): DesktopNotification[] {
    const window = this.#windows.get(key);
    this.#windows.delete(key);
    return window?.latest ? [digestOf(window.held, window.latest, window.urgency)] : [];
  }

  #closeWindow(key: string, now: number): DesktopNotification[] {
    const digests: DesktopNotification[] = [];
    let window = this.#windows.get(key);
    while (window && window.closesAt <= now) {
      if (!window.latest) {
        this.#windows.delete(key);
        break;
      }
      digests.push(digestOf(window.held, window.latest, window.urgency));
      window = { closesAt: window.closesAt + this.#settings.windowMs, shown: this.#settings.maxPerWindow, held: 0, latest: null, urgency: 'low' };
      this.#windows.set(key, window);
    }
    return digests;
  }
}
