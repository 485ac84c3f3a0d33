// The one place that decides, for each event, whether and how to notify
// (docs/desktop-app.md, "Notifications"). No I/O and no timers: time is passed in, so every
// decision is tested without sleeping; NotificationDispatcher (notifier/) owns the
// timers and calls `due(now)` at `nextDueAt()`.
//
// Order of the checks, and why:
//   1. notifiable?   notify, alert, end and gap by default; update only through a rule
//   2. muted topic   the user said "never for this topic"
//   3. paused        the user said "not now", critical included: it is an explicit act
//   4. quiet hours   a standing schedule, so a critical notification still gets through
//   5. coalescing    bursts on one topic become a digest (critical is never held back)
// Whatever is suppressed is still recorded in history by the caller.

import type { HeraldEvent, UpdateData } from '../../../server/protocol/events.ts';
import { compilePattern, type TopicPattern } from '../../../server/protocol/topics.ts';
import type { Calendar } from '../clock.ts';
import type { Settings } from '../settings/settings-schema.ts';
import { BurstCoalescer } from './burst-coalescer.ts';
import type { DesktopNotification } from './desktop-notification.ts';
import { notificationForEvent } from './notification-content.ts';
import { isPaused } from './pause.ts';
import { inQuietHours } from './quiet-hours.ts';
import { ReAlertSchedule } from './re-alert.ts';
import { compileRules, matchUpdateRule, type CompiledRule } from './update-rules.ts';

export type PolicySettings = Pick<Settings, 'rules' | 'quietHours' | 'pause' | 'mutedTopics' | 'coalesce' | 'reAlert'>;

export type SuppressReason = 'not-notifiable' | 'muted' | 'paused' | 'quiet-hours' | 'coalesced';

export interface Verdict {
  /** What to show now, in order: digests of bursts that just closed, then this event's notification. */
  show: DesktopNotification[];
  /** Why this event itself is not shown, or null when it is. */
  suppressed: SuppressReason | null;
}

function topicKey(serverId: string, topic: string): string {
  return `${serverId}\n${topic}`;
}

export class NotificationPolicy {
  #settings: PolicySettings;
  #rules: CompiledRule[];
  #muted: TopicPattern[];
  readonly #calendar: Calendar;
  readonly #coalescer: BurstCoalescer;
  readonly #reAlerts: ReAlertSchedule;
  /** Last status seen per topic, for rules on updates that carry no `changed` list. */
  readonly #lastStatus = new Map<string, Record<string, unknown>>();

  constructor(settings: PolicySettings, calendar: Calendar) {
    this.#settings = settings;
    this.#rules = compileRules(settings.rules);
    this.#muted = settings.mutedTopics.map(compilePattern);
    this.#calendar = calendar;
    this.#coalescer = new BurstCoalescer(settings.coalesce);
    this.#reAlerts = new ReAlertSchedule(settings.reAlert);
  }

  /** Apply changed settings (mute, pause, rules...) to every later decision. */
  setSettings(settings: PolicySettings): void {
    this.#settings = settings;
    this.#rules = compileRules(settings.rules);
    this.#muted = settings.mutedTopics.map(compilePattern);
    this.#coalescer.settings = settings.coalesce;
    this.#reAlerts.settings = settings.reAlert;
  }

  get settings(): PolicySettings {
    return this.#settings;
  }

  decide(serverId: string, event: HeraldEvent, now: number): Verdict {
    const key = topicKey(serverId, event.data.topic);
    const notification = this.#notificationFor(serverId, event, key);
    const closing = this.#afterEvent(key, event).filter((digest) => !this.#blocked(digest, now));
    if (!notification) return { show: closing, suppressed: 'not-notifiable' };

    const blocked = this.#blocked(notification, now);
    if (blocked) return { show: closing, suppressed: blocked };

    const show = [...closing];
    if (notification.urgency === 'critical') {
      show.push(notification);
    } else {
      const offer = this.#coalescer.offer(key, notification, now);
      show.push(...offer.closed.filter((digest) => !this.#blocked(digest, now)));
      if (!offer.show) return { show, suppressed: 'coalesced' };
      show.push(notification);
    }
    if (event.type === 'alert' && event.data.level === 'critical') this.#reAlerts.track(key, notification, now);
    return { show, suppressed: null };
  }

  /** Digests and repeats due by `now`. */
  due(now: number): DesktopNotification[] {
    const digests = this.#coalescer.due(now).filter((n) => !this.#blocked(n, now));
    const repeats = this.#reAlerts.due(now, (_key, n) => !this.#blocked(n, now));
    return [...digests, ...repeats];
  }

  /** When `due` next has something to say, or null. */
  nextDueAt(): number | null {
    const times = [this.#coalescer.nextDueAt(), this.#reAlerts.nextDueAt()].filter((t): t is number => t !== null);
    return times.length > 0 ? Math.min(...times) : null;
  }

  /** The user saw it (clicked the notification, opened the topic): stop repeating its critical alert. */
  acknowledge(serverId: string, topic: string): void {
    this.#reAlerts.cancel(topicKey(serverId, topic));
  }

  isRepeating(serverId: string, topic: string): boolean {
    return this.#reAlerts.isTracking(topicKey(serverId, topic));
  }

  #notificationFor(serverId: string, event: HeraldEvent, key: string): DesktopNotification | null {
    if (event.type !== 'update') return notificationForEvent(serverId, event);
    const rule = matchUpdateRule(this.#rules, event.data, this.#lastStatus.get(key));
    return rule ? notificationForEvent(serverId, event, rule) : null;
  }

  /** Bookkeeping every event does, shown or not. Returns digests to show now (an ended topic's held burst). */
  #afterEvent(key: string, event: HeraldEvent): DesktopNotification[] {
    if (event.type === 'update') this.#lastStatus.set(key, (event.data as UpdateData).status);
    if (event.type === 'alert' && event.data.level !== 'critical') this.#reAlerts.cancel(key);
    if (event.type === 'end') {
      this.#reAlerts.cancel(key);
      this.#lastStatus.delete(key);
      return this.#coalescer.flush(key);
    }
    return [];
  }

  #blocked(notification: DesktopNotification, now: number): SuppressReason | null {
    if (this.#muted.some((pattern) => pattern.matches(notification.topic))) return 'muted';
    if (isPaused(this.#settings.pause, now)) return 'paused';
    if (notification.urgency !== 'critical' && inQuietHours(this.#settings.quietHours, this.#calendar.minutesOfDay(now))) {
      return 'quiet-hours';
    }
    return null;
  }
}
