// How one event is stored as a stream entry: fields `topic`, `type` and `data` (the
// event's JSON data). `topic` is kept apart from `data` so readers can filter without
// parsing JSON. The stream is shared by every instance, so an entry that does not
// decode is reported and skipped rather than trusted.

import { isEventType, type HeraldEvent, type NewEvent } from '../../protocol/events.ts';

export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

export function entryFields(event: NewEvent): Record<'topic' | 'type' | 'data', string> {
  return { topic: event.data.topic, type: event.type, data: JSON.stringify(event.data) };
}

/** The event an entry holds, or a sentence saying why it is not one. */
export function decodeEntry(entry: StreamEntry): HeraldEvent | string {
  const { topic, type, data } = entry.fields;
  if (topic === undefined || !isEventType(type) || data === undefined) {
    return `stream entry ${entry.id} is not a Herald event: expected fields topic, type and data`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return `stream entry ${entry.id} has data that is not JSON`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `stream entry ${entry.id} has data that is not a JSON object`;
  }
  const body = parsed as { topic?: unknown; time?: unknown };
  if (body.topic !== topic || typeof body.time !== 'number') {
    return `stream entry ${entry.id} has data without its topic and a numeric time`;
  }
  // The shape of each type's data was checked when it was published (one codebase
  // writes this stream); here we only make sure it is ours.
  return { id: entry.id, type, data: parsed } as HeraldEvent;
}

/** node-redis answers XRANGE and XREAD with `{ id, message: { field: value } }` items. */
export function entriesFromMessages(messages: ReadonlyArray<{ id: unknown; message: unknown }>): StreamEntry[] {
  return messages.map(({ id, message }) => {
    const fields: Record<string, string> = {};
    if (typeof message === 'object' && message !== null) {
      for (const [name, value] of Object.entries(message)) fields[name] = String(value);
    }
    return { id: String(id), fields };
  });
}
