// The policy's decisions turned into shown notifications, over time: each new event is
// offered to the policy, what it says to show is shown, and the digests and repeated
// critical alerts it holds back are shown when they fall due (a timer at the policy's
// nextDueAt, on the injected clock). A click acknowledges the topic (no more repeats)
// and goes to the app.
import type { HeraldEvent } from '../../server/protocol/events.ts';
import type { Calendar, Clock } from '../core/clock.ts';
import type { DesktopNotification } from '../core/policy/desktop-notification.ts';
import { NotificationPolicy, type PolicySettings } from '../core/policy/notification-policy.ts';
import { NotificationPresenter, type CreateNativeNotification, type ShownNotification } from './notification-presenter.ts';

export class NotificationCenter {
  readonly #clock: Clock;
  readonly #policy: NotificationPolicy;
  readonly #presenter: NotificationPresenter;
  #dueTimer: unknown = null;

  constructor(options: {
    settings: PolicySettings;
    calendar: Calendar;
    clock: Clock;
    createNotification: CreateNativeNotification;
    onClick(notification: DesktopNotification): void;
    log(message: string): void;
  }) {
    this.#clock = options.clock;
    this.#policy = new NotificationPolicy(options.settings, options.calendar);
    this.#presenter = new NotificationPresenter({
      create: options.createNotification,
      clock: options.clock,
      onClick: (notification) => {
        this.#policy.acknowledge(notification.serverId, notification.topic);
        options.onClick(notification);
      },
      onFailed: (notification, error) => options.log(`notification "${notification.title}" failed: ${error}`),
    });
  }

  /** A new event (not a replay of one already recorded). */
  offer(serverId: string, event: HeraldEvent): void {
    const verdict = this.#policy.decide(serverId, event, this.#clock.now());
    for (const notification of verdict.show) this.#presenter.show(notification);
    this.#scheduleDue();
  }

  setSettings(settings: PolicySettings): void {
    this.#policy.setSettings(settings);
  }

  get shown(): readonly ShownNotification[] {
    return this.#presenter.shown;
  }

  stop(): void {
    this.#clock.clearTimeout(this.#dueTimer);
    this.#dueTimer = null;
  }

  #scheduleDue(): void {
    this.#clock.clearTimeout(this.#dueTimer);
    const at = this.#policy.nextDueAt();
    if (at === null) {
      this.#dueTimer = null;
      return;
    }
    this.#dueTimer = this.#clock.setTimeout(() => {
      this.#dueTimer = null;
      for (const notification of this.#policy.due(this.#clock.now())) this.#presenter.show(notification);
      this.#scheduleDue();
    }, Math.max(0, at - this.#clock.now()));
  }
}
