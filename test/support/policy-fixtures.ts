// Events, settings and a policy for the notification-policy tests: a fixed Monday
// noon in UTC, one server, ids in order. No clock runs: tests pass `now` in.

import type { AlertData, EndData, HeraldEvent, Level, NotifyData } from '../../server/protocol/events.ts';
import { utcCalendar } from '../../main/app/notifications/policy/calendar.ts';
import { defaultSettings } from '../../main/app/settings/settings-schema.ts';
import type { DesktopNotification } from '../../main/app/notifications/policy/desktop-notification.ts';
import { NotificationPolicy, type PolicySettings } from '../../main/app/notifications/policy/notification-policy.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** Monday 6 January 2025, 12:00 UTC. */
export const NOON = Date.UTC(2025, 0, 6, 12, 0, 0);
export const SERVER = 'local';

let nextId = 1;
function id(): string {
  return String(nextId++).padStart(8, '0');
}

export function notify(topic: string, priority = 3, extra: Partial<NotifyData> = {}): HeraldEvent {
  return { id: id(), type: 'notify', data: { topic, time: NOON, title: `Title of ${topic}`, body: 'the body', priority, tags: [], ...extra } };
}
export function alert(topic: string, level: Level, extra: Partial<AlertData> = {}): HeraldEvent {
  return { id: id(), type: 'alert', data: { topic, time: NOON, level, message: `${topic} is ${level}`, ...extra } };
}
export function end(topic: string, extra: Partial<EndData> = {}): HeraldEvent {
  return { id: id(), type: 'end', data: { topic, time: NOON, state: 'succeeded', exitCode: 0, durationMs: 83_000, summary: 'built', ...extra } };
}
export function update(topic: string, status: Record<string, unknown>, changed?: string[]): HeraldEvent {
  return { id: id(), type: 'update', data: { topic, time: NOON, status, ...(changed ? { changed } : {}) } };
}
export function gap(topic: string): HeraldEvent {
  return { id: id(), type: 'gap', data: { topic, time: NOON, since: '00000001', lost: 4, message: '4 events were dropped by retention' } };
}

export function settings(patch: Partial<PolicySettings> = {}): PolicySettings {
  const { rules, quietHours, pause, mutedTopics, coalesce, reAlert } = structuredClone(defaultSettings);
  return { rules, quietHours, pause, mutedTopics, coalesce, reAlert, ...patch };
}

export function policy(patch: Partial<PolicySettings> = {}): NotificationPolicy {
  return new NotificationPolicy(settings(patch), utcCalendar);
}

export const titles = (list: DesktopNotification[]) => list.map((n) => n.title);
