// The policy's decisions shown as native notifications, over time: the core's
// NotificationDispatcher asks the policy about each new event and wakes at its
// nextDueAt for digests and repeated critical alerts; the presenter shows them with
// Electron's Notification (held until closed). A click acknowledges the topic (no more
// repeats) and goes to the app.
import type { HeraldEvent } from '../../server/protocol/events.ts';
import type { Calendar, Clock } from '../core/clock.ts';
import { NotificationDispatcher } from '../core/notifier/notification-dispatcher.ts';
import type { DesktopNotification } from '../core/policy/desktop-notification.ts';
import { NotificationPolicy, type PolicySettings } from '../core/policy/notification-policy.ts';
import { NotificationPresenter, type CreateNativeNotification, type ShownNotification } from './notification-presenter.ts';

export class NotificationCenter {
  readonly #policy: NotificationPolicy;
  readonly #presenter: NotificationPresenter;
  readonly #dispatcher: NotificationDispatcher;

  constructor(options: {
    settings: PolicySettings;
    calendar: Calendar;
    clock: Clock;
    createNotification: CreateNativeNotification;
    /**
     * Electron's Notification.isSupported(): false where nothing can show one (Linux
     * without a notification server). Then nothing is shown, nor recorded as shown.
     */
    supported: boolean;
    onClick(notification: DesktopNotification): void;
    log(message: string): void;
  }) {
    this.#policy = new NotificationPolicy(options.settings, options.calendar);
    this.#presenter = new NotificationPresenter({
      create: options.createNotification,
      clock: options.clock,
      onClick: (notification) => {
        this.#policy.acknowledge(notification.serverId, notification.topic);
        this.#dispatcher.reschedule();
        options.onClick(notification);
      },
      onFailed: (notification, error) => options.log(`notification "${notification.title}" failed: ${error}`),
    });
    this.#dispatcher = new NotificationDispatcher({
      policy: this.#policy,
      notifier: {
        name: 'Electron Notification',
        show: async (notification) => {
          if (options.supported) this.#presenter.show(notification);
        },
      },
      clock: options.clock,
      onError: (error, notification) => options.log(`notification "${notification.title}" failed: ${error.message}`),
    });
  }

  /** A new event (not a replay of one already recorded). */
  offer(serverId: string, event: HeraldEvent): void {
    this.#dispatcher.handle(serverId, event);
  }

  setSettings(settings: PolicySettings): void {
    this.#policy.setSettings(settings);
    this.#dispatcher.reschedule();
  }

  get shown(): readonly ShownNotification[] {
    return this.#presenter.shown;
  }

  stop(): void {
    this.#dispatcher.stop();
  }
}
