// Repeating an unacknowledged critical alert. Once a critical alert was shown, it is
// shown again every `afterMs` (at most `maxRepeats` times) until the user
// acknowledges it (clicks it, or opens the topic in history), the topic recovers
// (an alert of another level) or ends.

import type { ReAlertSettings } from '../../settings/settings-schema.ts';
import type { DesktopNotification } from './desktop-notification.ts';

interface Pending {
  original: DesktopNotification;
  dueAt: number;
  repeats: number;
}

export class ReAlertSchedule {
  #settings: ReAlertSettings;
  readonly #pending = new Map<string, Pending>();

  constructor(settings: ReAlertSettings) {
    this.#settings = settings;
  }

  set settings(settings: ReAlertSettings) {
    this.#settings = settings;
    if (!settings.enabled) this.#pending.clear();
  }

  /** A critical alert was shown for `key`: start (or restart) its repeats. */
  track(key: string, shown: DesktopNotification, now: number): void {
    if (!this.#settings.enabled) return;
    this.#pending.set(key, { original: shown, dueAt: now + this.#settings.afterMs, repeats: 0 });
  }

  /** Acknowledged, recovered or ended: no more repeats. */
  cancel(key: string): void {
    this.#pending.delete(key);
  }

  isTracking(key: string): boolean {
    return this.#pending.has(key);
  }

  /**
   * Repeats due by `now`, with the key each belongs to. `allowed(key)` says whether
   * the repeat may show now (not muted or paused); a repeat that may not still counts,
   * so a long pause does not queue up repeats for afterwards.
   */
  due(now: number, allowed: (key: string, notification: DesktopNotification) => boolean): DesktopNotification[] {
    const shown: DesktopNotification[] = [];
    for (const [key, pending] of this.#pending) {
      if (pending.dueAt > now) continue;
      pending.repeats++;
      if (allowed(key, pending.original)) {
        shown.push({
          ...pending.original,
          key: `${pending.original.key}#re-alert-${pending.repeats}`,
          kind: 're-alert',
          title: `Still ${pending.original.title.replace(/^Critical: /, 'critical: ')}`,
        });
      }
      if (pending.repeats >= this.#settings.maxRepeats) this.#pending.delete(key);
      else pending.dueAt += this.#settings.afterMs;
    }
    return shown;
  }

  nextDueAt(): number | null {
    let next: number | null = null;
    for (const pending of this.#pending.values()) if (next === null || pending.dueAt < next) next = pending.dueAt;
    return next;
  }
}
