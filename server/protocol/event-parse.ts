// One received SSE message -> a typed Herald event, for every client: the desktop
// core's connection (main/core/subscriptions/) and the web dashboard's
// (renderer/bridge/). The data must be JSON and hold what its type requires
// (event-validation.ts); anything else is refused with a message naming the event,
// what was expected and what arrived, so a client can report it and go on.

import { describeValue, errorText } from './errors.ts';
import { checkEventData } from './event-validation.ts';
import { isEventType, type HeraldEvent } from './events.ts';

/** What an EventSource hands over: the `event` name, the `id` (lastEventId) and the `data` text. */
export interface SseMessage {
  type: string;
  id: string;
  data: string;
}

export type ParsedEvent = { ok: true; event: HeraldEvent } | { ok: false; problem: string };

/** How much of a refused message's data a problem quotes. */
const SHOWN = 80;

export function parseEvent(message: SseMessage): ParsedEvent {
  const { type, id } = message;
  const text = String(message.data);
  const shown = text.slice(0, SHOWN);
  if (!isEventType(type)) return refused(`an event of unknown type ${describeValue(type)} arrived: ${shown}`);
  // Every Herald event has an id: it is the key of the client's history and its resume point.
  if (!id) return refused(`an event (${type}) arrived without an id: ${shown}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return refused(`event ${id} (${type}) is not valid JSON: ${shown}`);
  }
  try {
    return { ok: true, event: { id, type, data: checkEventData(type, data) } as HeraldEvent };
  } catch (error) {
    return refused(`event ${id} (${type}) is not a valid ${type} event: ${errorText(error)}`);
  }
}

function refused(problem: string): ParsedEvent {
  return { ok: false, problem };
}
