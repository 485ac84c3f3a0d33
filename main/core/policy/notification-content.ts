// The words of a notification: title and body for each event type. Kept apart from
// the decision (notification-policy.ts) so both read at a glance.

import type { EndData, HeraldEvent, Level } from '../../../server/protocol/events.ts';
import type { DesktopNotification, Urgency } from './desktop-notification.ts';

const MAX_BODY = 300;

function clip(text: string, max = MAX_BODY): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return minutes > 0 ? `${minutes}m ${seconds}s` : `${seconds}s`;
}

/** `key=value, key=value` for an update's status (objects shown as JSON). */
export function formatStatus(status: Record<string, unknown>): string {
  return clip(
    Object.entries(status)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', '),
  );
}

function endBody(data: EndData): string {
  const facts = [data.exitCode === null ? null : `exit ${data.exitCode}`, formatDuration(data.durationMs) || null].filter(Boolean);
  return clip(facts.length > 0 ? `${data.summary} (${facts.join(', ')})` : data.summary);
}

const ALERT_WORD: Record<Level, string> = { critical: 'Critical', warn: 'Warning', ok: 'Recovered' };

/** Title and body of one event. `field` names the status field an update rule watched. */
export function describeEvent(event: HeraldEvent, field = ''): { title: string; body: string } {
  const { topic } = event.data;
  switch (event.type) {
    case 'notify':
      return { title: clip(event.data.title || topic, 120), body: clip(event.data.body) };
    case 'alert':
      return { title: `${ALERT_WORD[event.data.level]}: ${topic}`, body: clip(event.data.message) };
    case 'end':
      return { title: `${topic} ${event.data.state}`, body: endBody(event.data) };
    case 'gap':
      return { title: `Missed events on ${topic}`, body: clip(event.data.message) };
    case 'update': {
      const value = field ? event.data.status[field] : undefined;
      const title = field && value !== undefined ? `${topic}: ${field} is ${typeof value === 'string' ? value : JSON.stringify(value)}` : `${topic} changed`;
      return { title: clip(title, 120), body: formatStatus(event.data.status) };
    }
  }
}

export function notificationForEvent(serverId: string, event: HeraldEvent, urgency: Urgency, field = ''): DesktopNotification {
  const { title, body } = describeEvent(event, field);
  return {
    key: `${serverId}/${event.id}`,
    serverId,
    topic: event.data.topic,
    eventId: event.id,
    type: event.type,
    kind: 'event',
    count: 1,
    title,
    body,
    urgency,
    click: event.type === 'notify' || event.type === 'alert' ? (event.data.click ?? null) : null,
  };
}
