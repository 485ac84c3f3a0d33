// What the policy hands to a notifier: everything a native notification needs,
// nothing platform-bound. The app maps it to `new Notification(...)`, the
// CLI to notify-send / osascript / a PowerShell toast (main/app/notifications/).

import type { EventType } from '../../../../server/protocol/events.ts';
import type { Urgency } from '../../../../server/protocol/event-vocabulary.ts';

export type { Urgency };

/** Lowest first. */
const URGENCY_ORDER: readonly Urgency[] = ['low', 'normal', 'critical'];

export function higherUrgency(a: Urgency, b: Urgency): Urgency {
  return URGENCY_ORDER[Math.max(URGENCY_ORDER.indexOf(a), URGENCY_ORDER.indexOf(b))]!;
}

export interface DesktopNotification {
  /** Unique per notification shown (an event, a digest or a repeat). */
  key: string;
  serverId: string;
  topic: string;
  /** The event a click opens in the history window (a digest's latest event). */
  eventId: string;
  type: EventType;
  /** `event`: one event; `digest`: a coalesced burst; `re-alert`: an unacknowledged critical alert again. */
  kind: 'event' | 'digest' | 're-alert';
  /** How many events it stands for (more than 1 only for a digest). */
  count: number;
  title: string;
  body: string;
  urgency: Urgency;
  /** An http(s) URL a publisher attached, opened on click. */
  click: string | null;
}
