// What a stream does when opening it fails (a log read throws, say), for Herald's own
// streams (open-stream.ts) and ntfy's alike.

import type { Hub } from './hub.ts';
import type { SseConnection } from './sse-connection.ts';
import type { Subscription } from './subscription.ts';

/**
 * Before the status line: unregister and rethrow, so the request is answered as a
 * failure. Mid-replay the status line is gone: close, and the client resumes by id.
 */
export function failOpening(error: unknown, connection: SseConnection, hub: Hub, sub: Subscription): void {
  const answered = connection.started;
  connection.close('ended');
  if (answered) return;
  hub.remove(sub);
  throw error;
}
