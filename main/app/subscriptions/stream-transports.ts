// The stream of each kind of server (stream-transport.ts says what a transport does).
import { heraldTransport } from './herald-stream.ts';
import { ntfyTransport } from './ntfy-stream.ts';
import { sseUrlTransport } from './sse-url-stream.ts';
import type { ConnectionDeps, ServerSubscription, StreamTransport } from './stream-transport.ts';

export function transportFor(config: ServerSubscription, deps: ConnectionDeps): StreamTransport {
  switch (config.kind ?? 'herald') {
    case 'herald':
      return heraldTransport(config, deps);
    case 'ntfy':
      return ntfyTransport(config, deps);
    case 'sse':
      return sseUrlTransport(config, deps);
  }
}
