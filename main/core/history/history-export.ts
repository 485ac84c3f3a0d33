// History as JSON (an array of entries) and as CSV (one record per entry, RFC 4180).

import { csvRecord } from './csv.ts';
import type { HistoryEntry } from './history-entry.ts';

export const CSV_COLUMNS = ['time', 'received', 'server', 'topic', 'type', 'level', 'title', 'body', 'id'] as const;

interface ExportedEntry {
  server: string;
  id: string;
  topic: string;
  type: string;
  level: string;
  time: string;
  received: string;
  title: string;
  body: string;
  data: unknown;
}

function exported(entry: HistoryEntry): ExportedEntry {
  return {
    server: entry.serverId,
    id: entry.event.id,
    topic: entry.event.data.topic,
    type: entry.event.type,
    level: entry.level,
    time: new Date(entry.event.data.time).toISOString(),
    received: new Date(entry.receivedAt).toISOString(),
    title: entry.title,
    body: entry.body,
    data: entry.event.data,
  };
}

export function historyAsJson(entries: Iterable<HistoryEntry>): string {
  const parts: string[] = [];
  for (const entry of entries) parts.push(JSON.stringify(exported(entry)));
  return parts.length === 0 ? '[]\n' : `[\n${parts.join(',\n')}\n]\n`;
}

export function* historyAsCsv(entries: Iterable<HistoryEntry>): Generator<string> {
  yield csvRecord(CSV_COLUMNS);
  for (const entry of entries) {
    const e = exported(entry);
    yield csvRecord([e.time, e.received, e.server, e.topic, e.type, e.level, e.title, e.body, e.id]);
  }
}
