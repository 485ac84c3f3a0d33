// One stored history entry: what the history store returns and the export writes.

import type { HeraldEvent } from '../../../server/protocol/events.ts';
import type { EventLevel } from '../../../server/protocol/event-vocabulary.ts';

export interface HistoryEntry {
  /** Local arrival order; the paging cursor. */
  seq: number;
  serverId: string;
  event: HeraldEvent;
  /** As the event vocabulary says it, stored so queries can filter by it. */
  level: EventLevel;
  receivedAt: number;
  /** As a notification would say it; what text search looks at. */
  title: string;
  body: string;
}
