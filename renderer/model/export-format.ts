// "Export the current view as JSON or CSV". CSV is written by the history export's
// writer (main/core/history/csv.ts): RFC 4180, with every formula start guarded, also
// after a `;` or TAB, for spreadsheets that split on those.

import { csvJson, csvRecord } from '../../main/core/history/csv.ts';
import { summaryOf } from '../../server/protocol/event-vocabulary.ts';
import type { StoredEvent } from './event-store.ts';

export const CSV_COLUMNS = ['time', 'server', 'topic', 'type', 'level', 'id', 'summary', 'data'] as const;

export function toJson(events: readonly StoredEvent[]): string {
  const rows = events.map((s) => ({ server: s.server, id: s.event.id, type: s.event.type, level: s.level, data: s.event.data }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function toCsv(events: readonly StoredEvent[]): string {
  const records = [csvRecord(CSV_COLUMNS)];
  for (const s of events) {
    const row = [
      new Date(s.event.data.time).toISOString(),
      s.server,
      s.event.data.topic,
      s.event.type,
      s.level,
      s.event.id,
      summaryOf(s.event),
      csvJson(s.event.data),
    ];
    records.push(csvRecord(row));
  }
  return records.join('');
}

/** `herald-events-2026-11-25T14-40-58.csv`: a name that sorts by time and is valid everywhere. */
export function exportFileName(format: 'json' | 'csv', now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-');
  return `herald-events-${stamp}.${format}`;
}
