// One stored history entry: what the history store returns and the export writes.

import type { HeraldEvent, Level } from '../../../server/protocol/events.ts';

export interface HistoryEntry {
  /** Local arrival order; the paging cursor. */
  seq: number;
  serverId: string;
  event: HeraldEvent;
  level: Level | null;
  receivedAt: number;
  /** As a notification would say it; what text search looks at. */
  title: string;
  body: string;
}
