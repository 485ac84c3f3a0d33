// What a stream does when opening it fails (a log read throws, say), for Herald's own
// streams (open-stream.ts) and ntfy's alike.

import type { SseConnection } from './sse-connection.ts';

/**
 * Close the connection (its onClose takes the subscriber out of the hub). Before the
 * status line, rethrow, so the request is answered as a failure; mid-replay the
 * status line is gone, and the client resumes by id.
 */
export function failOpening(error: unknown, connection: SseConnection): void {
  const answered = connection.started;
  connection.close('ended');
  if (!answered) throw error;
}
