// A notification for one event: its title, body and urgency as the event vocabulary
// (server/protocol/event-vocabulary.ts) says them, plus what a click opens. Kept
// apart from the decision (notification-policy.ts) so both read at a glance.

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { describeEvent } from '../../../server/protocol/event-vocabulary.ts';
import type { DesktopNotification } from './desktop-notification.ts';

/** `rule`: the field and priority of the update rule that made an update notify. */
export function notificationForEvent(serverId: string, event: HeraldEvent, rule: { field: string; priority: number } | null = null): DesktopNotification {
  const { title, body, urgency } = describeEvent(event, rule ?? {});
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
    click: event.type === 'notify' ? (event.data.click ?? null) : null,
  };
}
