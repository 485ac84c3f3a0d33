// Rows of the SQLite log as the EventLog interface hands them out, and its ids:
// canonical decimal strings of the row id (no sign, no leading zero).

import type { EventType, HeraldEvent, Level } from '../protocol/events.ts';
import type { TopicState } from './event-log.ts';

export interface EventRow {
  id: number;
  type: string;
  data: string;
}

export interface TopicRow {
  topic: string;
  last_id: number;
  last_type: string;
  last_time: number;
  status: string | null;
  level: string | null;
}

const ID_SHAPE = /^(0|[1-9][0-9]{0,15})$/;

export function isDecimalId(raw: string): boolean {
  return ID_SHAPE.test(raw) && (raw.length < 16 || Number.isSafeInteger(Number(raw)));
}

/** Canonical decimals: a shorter one is smaller; equal lengths compare as text. */
export function compareDecimalIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toEvent(row: EventRow): HeraldEvent {
  return { id: String(row.id), type: row.type as EventType, data: JSON.parse(row.data) } as HeraldEvent;
}

export function toTopicState(row: TopicRow): TopicState {
  return {
    topic: row.topic,
    lastId: String(row.last_id),
    lastType: row.last_type as EventType,
    lastTime: row.last_time,
    status: row.status === null ? null : (JSON.parse(row.status) as Record<string, unknown>),
    level: row.level as Level | null,
    ended: row.last_type === 'end',
  };
}
