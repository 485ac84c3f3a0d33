// What sources, the HTTP publish route and the job runner call to emit events.
import type { HeraldEvent, NewEvent } from '../protocol/events.ts';

export interface Publisher {
  /**
   * Validate and append one event. An `update` whose status equals the topic's
   * previous status is not appended (the seed's "send only on change"): resolves null.
   */
  publish(event: NewEvent): Promise<HeraldEvent | null>;
}
