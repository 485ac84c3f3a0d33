// Policy plus time plus a notifier: asks the policy about each event, shows what it
// says, and wakes at `nextDueAt()` for digests and repeats. Shared by the desktop
// app and `herald watch --notify`, so both behave the same.

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import type { Clock } from '../../../server/protocol/clock.ts';
import type { DesktopNotification } from './policy/desktop-notification.ts';
import type { NotificationPolicy, Verdict } from './policy/notification-policy.ts';
import type { Notifier } from './notifier.ts';

export class NotificationDispatcher {
  readonly #policy: NotificationPolicy;
  readonly #notifier: Notifier;
  readonly #clock: Clock;
  readonly #onError: (error: Error, notification: DesktopNotification) => void;
  #timer: unknown = null;
  #timerAt: number | null = null;
  #pending = new Set<Promise<void>>();

  constructor(options: { policy: NotificationPolicy; notifier: Notifier; clock: Clock; onError(error: Error, notification: DesktopNotification): void }) {
    this.#policy = options.policy;
    this.#notifier = options.notifier;
    this.#clock = options.clock;
    this.#onError = options.onError;
  }

  /** Decide about one received event and show what the policy says. */
  handle(serverId: string, event: HeraldEvent): Verdict {
    const verdict = this.#policy.decide(serverId, event, this.#clock.now());
    this.#showAll(verdict.show);
    this.#schedule();
    return verdict;
  }

  /** Re-plan the wake-up (after settings changed, or an acknowledgement). */
  reschedule(): void {
    this.#schedule();
  }

  /** Resolves when every notification handed to the notifier so far was taken (or failed). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = null;
  }

  #showAll(notifications: readonly DesktopNotification[]): void {
    for (const notification of notifications) {
      const shown = this.#notifier
        .show(notification)
        .catch((error: unknown) => this.#onError(error instanceof Error ? error : new Error(String(error)), notification))
        .finally(() => this.#pending.delete(shown));
      this.#pending.add(shown);
    }
  }

  #schedule(): void {
    const next = this.#policy.nextDueAt();
    if (next === this.#timerAt) return;
    this.stop();
    if (next === null) return;
    this.#timerAt = next;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#timerAt = null;
      this.#showAll(this.#policy.due(this.#clock.now()));
      this.#schedule();
    }, Math.max(0, next - this.#clock.now()));
  }
}
