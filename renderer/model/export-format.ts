// "Export the current view as JSON or CSV". CSV follows RFC 4180 (fields with a comma,
// quote or line break are quoted, quotes doubled, CRLF between records). A cell that
// starts with = + - @ (or a tab or CR) is prefixed with ' so a spreadsheet does not
// run it as a formula (OWASP, "CSV Injection").

import { summaryOf } from '../../server/protocol/event-vocabulary.ts';
import type { StoredEvent } from './event-store.ts';

export const CSV_COLUMNS = ['time', 'server', 'topic', 'type', 'level', 'id', 'summary', 'data'] as const;

export function toJson(events: readonly StoredEvent[]): string {
  const rows = events.map((s) => ({ server: s.server, id: s.event.id, type: s.event.type, level: s.level, data: s.event.data }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(events: readonly StoredEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of events) {
    const row = [
      new Date(s.event.data.time).toISOString(),
      s.server,
      s.event.data.topic,
      s.event.type,
      s.level,
      s.event.id,
      summaryOf(s.event),
      JSON.stringify(s.event.data),
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `herald-events-2026-11-25T14-40-58.csv`: a name that sorts by time and is valid everywhere. */
export function exportFileName(format: 'json' | 'csv', now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-');
  return `herald-events-${stamp}.${format}`;
}
