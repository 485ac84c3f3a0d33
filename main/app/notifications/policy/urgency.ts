// Priority (1..5, as published) to urgency: 1-2 low, 3-4 normal, 5 critical.
// Anything out of range is clamped rather than refused: the server validates
// priorities, and a notification with a sensible urgency beats none.

import type { HeraldEvent } from '../../../../server/protocol/events.ts';
import type { Urgency } from './desktop-notification.ts';

export function urgencyOfPriority(priority: number): Urgency {
  if (!Number.isFinite(priority) || priority <= 2) return 'low';
  return priority >= 5 ? 'critical' : 'normal';
}

/** The urgency an event notifies with; `rulePriority` applies to updates. */
export function urgencyOfEvent(event: HeraldEvent, rulePriority = 3): Urgency {
  switch (event.type) {
    case 'notify':
      return urgencyOfPriority(event.data.priority);
    case 'alert':
      // A recovery is good news: it should not interrupt like the alarm did.
      return event.data.level === 'critical' ? 'critical' : event.data.level === 'warn' ? 'normal' : 'low';
    case 'update':
      return urgencyOfPriority(rulePriority);
    case 'end':
    case 'gap':
      return 'normal';
  }
}
