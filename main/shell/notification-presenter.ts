// Shows what the notification policy decided, as native notifications. Electron's
// Notification objects must stay referenced until they are done, or the garbage
// collector takes them and their click handlers with them (Electron docs,
// Notification; electron/electron#12690): each is held until it closes or fails, with
// a bound so a machine whose notification server never reports "closed" cannot grow
// the set forever. It also keeps a bounded record of what it showed, which the tray,
// the end-to-end test and a person debugging with the inspector can read.
import type { Clock } from '../core/clock.ts';
import { notificationWords } from '../core/notifier/notifier.ts';
import type { DesktopNotification, Urgency } from '../core/policy/desktop-notification.ts';

export interface NativeNotificationOptions {
  title: string;
  body: string;
  /** Linux (freedesktop urgency); ignored elsewhere. */
  urgency: Urgency;
  /** Windows: a critical toast stays until dismissed. */
  timeoutType: 'default' | 'never';
}

/** One native notification; main/electron/notifications.ts wraps Electron's Notification in this. */
export interface NativeNotification {
  show(): void;
  onClick(listener: () => void): void;
  onClose(listener: () => void): void;
  onFailed(listener: (error: string) => void): void;
}

export type CreateNativeNotification = (options: NativeNotificationOptions) => NativeNotification;

export interface ShownNotification {
  key: string;
  serverId: string;
  topic: string;
  eventId: string;
  kind: DesktopNotification['kind'];
  title: string;
  body: string;
  urgency: Urgency;
  shownAt: number;
}

/** Notifications held at most at once (the oldest is let go past this). */
export const MAX_HELD = 100;
/** Shown notifications remembered. */
export const MAX_RECORDED = 200;

export class NotificationPresenter {
  readonly #create: CreateNativeNotification;
  readonly #clock: Clock;
  readonly #onClick: (notification: DesktopNotification) => void;
  readonly #onFailed: (notification: DesktopNotification, error: string) => void;
  readonly #held = new Map<string, NativeNotification>();
  readonly #shown: ShownNotification[] = [];

  constructor(options: {
    create: CreateNativeNotification;
    clock: Clock;
    onClick(notification: DesktopNotification): void;
    onFailed?(notification: DesktopNotification, error: string): void;
  }) {
    this.#create = options.create;
    this.#clock = options.clock;
    this.#onClick = options.onClick;
    this.#onFailed = options.onFailed ?? (() => {});
  }

  show(notification: DesktopNotification): void {
    // Controls and unpaired bidi controls escaped, as for the CLI's notifiers.
    const { title, body } = notificationWords(notification);
    const native = this.#create({
      title,
      body,
      urgency: notification.urgency,
      timeoutType: notification.urgency === 'critical' ? 'never' : 'default',
    });
    const release = (): void => {
      if (this.#held.get(notification.key) === native) this.#held.delete(notification.key);
    };
    native.onClick(() => this.#onClick(notification));
    native.onClose(release);
    native.onFailed((error) => {
      release();
      this.#onFailed(notification, error);
    });
    this.#held.delete(notification.key);
    this.#held.set(notification.key, native);
    while (this.#held.size > MAX_HELD) this.#held.delete(this.#held.keys().next().value!);
    native.show();
    this.#shown.push({
      key: notification.key,
      serverId: notification.serverId,
      topic: notification.topic,
      eventId: notification.eventId,
      kind: notification.kind,
      title,
      body,
      urgency: notification.urgency,
      shownAt: this.#clock.now(),
    });
    if (this.#shown.length > MAX_RECORDED) this.#shown.splice(0, this.#shown.length - MAX_RECORDED);
  }

  /** What was shown, oldest first (at most MAX_RECORDED). */
  get shown(): readonly ShownNotification[] {
    return this.#shown;
  }

  /** How many native notifications are referenced right now. */
  get held(): number {
    return this.#held.size;
  }
}
