// What a subscription looks like from outside: one connection per server, and a
// state per topic it asked for (a topic can end while its connection lives on). The
// connection states have the same shape as the Bridge's ConnectionState
// (main/ipc/bridge.ts).

import type { EndData } from '../../../server/protocol/events.ts';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Lost; the next attempt is at `retryAt` (ms since the epoch). */
  | { kind: 'reconnecting'; retryAt: number; reason: string }
  /** Will not retry by itself: `reason` says what to fix. */
  | { kind: 'failed'; reason: string }
  /** Turned off, or every topic it asked for has ended. */
  | { kind: 'closed'; reason: string };

export type TopicState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; retryAt: number; reason: string }
  /** The topic's stream finished; `end` is the `end` event's payload (null when the server only said 204). */
  | { kind: 'ended'; end: EndData | null }
  | { kind: 'failed'; reason: string }
  /** Its connection was closed before the topic ended (turned off, removed). */
  | { kind: 'closed' };

export interface ServerSnapshot {
  serverId: string;
  name: string;
  url: string;
  connection: ConnectionState;
  /** Each topic or pattern the server was asked for. */
  topics: Record<string, TopicState>;
  /** Concrete topics that ended (including ones matched by a pattern), with their end payload. */
  ended: Record<string, EndData>;
  lastEventId: string | null;
}
