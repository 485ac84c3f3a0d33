// The seam between a server connection (server-connection.ts: state, backoff,
// watchdog, resume points, ended topics) and the kind of stream it follows. Each
// kind opens one stream per attempt and reports what happens on it through a
// StreamSink; the connection decides what a failure means for the next attempt:
//
// - `herald`: Herald's own `/events` over EventSource (herald-stream.ts);
// - `ntfy`: an ntfy server's JSON stream `/<topics>/json` (ntfy-stream.ts);
// - `sse`: any `text/event-stream` URL, each event shown as text (sse-url-stream.ts).

import type { EventSourceConstructor } from 'eventsource';
import type { Clock } from '../../../server/protocol/clock.ts';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import type { SseTemplates } from '../../../server/protocol/event-vocabulary.ts';
import type { BackoffOptions } from './backoff.ts';
import type { FailureVerdict, StreamWords } from './connection-failure.ts';
import type { ResumePoints } from './resume-points.ts';
import type { ServerKind } from '../settings/settings-schema.ts';

export type { ServerKind } from '../settings/settings-schema.ts';

export interface ServerSubscription {
  id: string;
  name: string;
  /** Base URL of the server, e.g. http://127.0.0.1:8765 (for `sse`, the stream's own URL). */
  url: string;
  /** Bearer token; with `username`, the password of Basic authentication. Empty for none. */
  token: string;
  /** Herald: topics and patterns. ntfy: topic names. sse: the one topic its events are recorded under. */
  topics: string[];
  /** With no resume point: `now` asks only for new events, `all` for everything retained. */
  since?: 'now' | 'all';
  /** Absent: `herald`. */
  kind?: ServerKind;
  /** ntfy and sse: sends `Authorization: Basic` with this user and `token` as the password. */
  username?: string;
  /** sse: how each event's data becomes a message (sse-text-event.ts). */
  templates?: SseTemplates;
}

export interface ConnectionDeps {
  EventSource: EventSourceConstructor;
  fetch: typeof fetch;
  clock: Clock;
  /** [0, 1), for backoff jitter. */
  random: () => number;
  resumePoints: ResumePoints;
  /**
   * The heartbeat interval assumed until the server announces its own
   * (`Herald-Heartbeat-Ms`); silence for 2.5 times the interval reconnects.
   */
  heartbeatMs: number;
  backoff: BackoffOptions;
}

/** One attempt's request. */
export interface StreamRequest {
  /** The topics that have not ended. */
  topics: string[];
  /** The last event id received (read at each request), or null. */
  resumeId(): string | null;
  /** A first connection that asked for everything retained. */
  sinceAll: boolean;
}

export interface StreamSink {
  /** The server answered with the stream: the connection is live. */
  opened(): void;
  /** Any bytes arrived (the heartbeat watchdog counts them, keepalives included). */
  bytes(): void;
  /** The server's `retry:` field, in ms: the floor of the backoff. */
  retry(ms: number): void;
  /** The heartbeat interval the server announced, in ms. */
  heartbeat(ms: number): void;
  /** An event; `resumeId` is what to resume after it (null: the server gave it no id of its own). */
  received(event: HeraldEvent, resumeId: string | null): void;
  /** A fault that did not stop the stream (a line that is not JSON...). */
  problem(message: string): void;
  /** The stream was refused or broke; nothing more comes from this attempt. */
  failed(verdict: FailureVerdict): void;
}

export interface OpenStream {
  close(): void;
}

export interface StreamTransport {
  readonly words: StreamWords;
  /** The heartbeat assumed until the server announces one; 0: no watchdog. */
  readonly heartbeatMs: number;
  open(request: StreamRequest, sink: StreamSink): OpenStream;
}

/** The `Authorization` header of a subscription: Basic with a username, else Bearer with a token, else none. */
export function authorizationOf(config: Pick<ServerSubscription, 'token' | 'username'>): string | undefined {
  if (config.username) return `Basic ${Buffer.from(`${config.username}:${config.token}`, 'utf8').toString('base64')}`;
  return config.token ? `Bearer ${config.token}` : undefined;
}

/** undici wraps every network error as "TypeError: fetch failed"; its cause says what happened. */
export function fetchErrorText(error: unknown): string {
  const err = error as (Error & { cause?: { message?: string; code?: string } }) | undefined;
  return err?.cause?.message || err?.cause?.code || err?.message || String(error);
}
