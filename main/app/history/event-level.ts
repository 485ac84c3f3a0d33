// How bad an event is, as one level per history entry, so the window can filter and
// colour the list: an alert has its level; an end is ok when it succeeded, warn when
// cancelled, critical when it failed or timed out; a published message by priority
// (5 critical, 4 warn, else ok); a gap is a warning (events were lost); an update has
// none (it is a status, not a verdict).

import type { HeraldEvent, Level } from '../../../server/protocol/events.ts';

export function levelOfEvent(event: HeraldEvent): Level | null {
  switch (event.type) {
    case 'alert':
      return event.data.level;
    case 'end':
      return event.data.state === 'succeeded' ? 'ok' : event.data.state === 'cancelled' ? 'warn' : 'critical';
    case 'notify':
      return event.data.priority >= 5 ? 'critical' : event.data.priority === 4 ? 'warn' : 'ok';
    case 'gap':
      return 'warn';
    case 'update':
      return null;
  }
}
