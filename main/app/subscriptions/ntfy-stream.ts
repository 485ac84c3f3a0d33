// An ntfy server's stream (ntfy docs, "Subscribe via API"): every topic on one JSON
// stream, `GET <base>/<t1,t2>/json`, one message object per line. Each line is read by
// the event vocabulary (server/protocol/ntfy-event.ts):
//
// - `open` and `keepalive` only keep the watchdog fed (ntfy sends a keepalive every
//   45 s by default, so the watchdog assumes at least that);
// - a `message` becomes a Herald notify event, its ntfy id the resume point;
// - a `poll_request` (a server asking its clients to fetch a message) polls the
//   topic, `GET <base>/<topic>/json?poll=1&since=<last id>`, and passes on what it
//   has not passed on yet.
//
// A reconnect, or a restart of the app, resumes with `since=<last message id>`; before
// any message, a reconnect asks `since=<time of the last open>`, so nothing published
// while the connection was down is lost. Message ids already passed on are not passed
// on twice (a poll and the stream may both bring one). A line that is not an ntfy
// message, or longer than MAX_LINE, is reported and skipped; the stream goes on.

import { readNtfyLine, type NtfyLine } from '../../../server/protocol/event-vocabulary.ts';
import { judgeBrokenStream, judgeRefusal, type StreamWords } from './connection-failure.ts';
import { LineSplitter } from './line-splitter.ts';
import { refusedAnswerOf } from './observed-fetch.ts';
import { authorizationOf, fetchErrorText, type ConnectionDeps, type ServerSubscription, type StreamTransport } from './stream-transport.ts';

/** ntfy's default keepalive interval (its `keepalive-interval`). */
export const NTFY_KEEPALIVE_MS = 45_000;
/** The longest line read; ntfy's messages are at most a few KB (4 KB of text, plus title, tags, actions). */
export const MAX_LINE = 256 * 1024;
/** Message ids remembered to pass each on once. */
const REMEMBERED_IDS = 2000;
/** The most lines one poll reads. */
const MAX_POLL_LINES = 10_000;

export const NTFY_STREAM_WORDS: StreamWords = {
  stream: 'ntfy topic stream',
  expected: 'an ntfy JSON stream (application/x-ndjson)',
  server: 'an ntfy server',
  secret: 'credentials',
  credentials: "Set the server's token, or its user and password (herald watch --token or --user, or the server's settings)",
};

const JSON_STREAM = /^[\t ]*application\/(x-ndjson|json|stream\+json)[\t ]*(;|$)/i;

/** `<base>/<t1,t2>/<format>` with the query given. */
export function ntfyUrl(base: string, topics: readonly string[], format: 'json', query: Record<string, string> = {}): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${topics.map(encodeURIComponent).join(',')}/${format}`;
  url.search = '';
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.href;
}

class RecentIds {
  readonly #ids = new Set<string>();
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  /** True the first time `id` is seen. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}

export function ntfyTransport(config: ServerSubscription, deps: ConnectionDeps): StreamTransport {
  const passedOn = new RecentIds(REMEMBERED_IDS);
  /** Unix seconds of the last `open`, by the server's clock: where a reconnect before any message resumes. */
  let openedAt: number | null = null;
  const headers: Record<string, string> = { Accept: 'application/x-ndjson, application/json' };
  const authorization = authorizationOf(config);
  if (authorization) headers.Authorization = authorization;

  const sinceOf = (resumeId: string | null, sinceAll: boolean): Record<string, string> => {
    if (resumeId !== null) return { since: resumeId };
    if (openedAt !== null) return { since: String(openedAt) };
    return sinceAll ? { since: 'all' } : {};
  };

  return {
    words: NTFY_STREAM_WORDS,
    heartbeatMs: Math.max(deps.heartbeatMs, NTFY_KEEPALIVE_MS),
    open(request, sink) {
      const controller = new AbortController();
      const { signal } = controller;
      const url = ntfyUrl(config.url, request.topics, 'json', sinceOf(request.resumeId(), request.sinceAll));

      const handle = (line: NtfyLine): void => {
        switch (line.kind) {
          case 'open':
            openedAt = Math.floor(line.time / 1000);
            return;
          case 'keepalive':
          case 'other':
            return;
          case 'invalid':
            return sink.problem(line.problem);
          case 'poll_request':
            return void poll(line.topic);
          case 'message':
            if (!passedOn.add(line.event.id)) return;
            for (const note of line.notes) sink.problem(note);
            return sink.received(line.event, line.event.id);
        }
      };

      const readLines = (maxLines: number) =>
        new LineSplitter(MAX_LINE, {
          line: (text) => {
            if (text.trim() === '' || maxLines-- <= 0) return;
            handle(readNtfyLine(text));
          },
          tooLong: (length) => sink.problem(`a line of ${length} characters arrived, more than the ${MAX_LINE} an ntfy message may take; skipped it`),
        });

      const poll = async (topic: string): Promise<void> => {
        const pollUrl = ntfyUrl(config.url, [topic], 'json', { poll: '1', ...sinceOf(request.resumeId(), true) });
        try {
          const response = await deps.fetch(pollUrl, { headers, signal });
          if (response.status !== 200 || !response.body) {
            const answer = await refusedAnswerOf(response);
            return sink.problem(`polling ${topic} for a poll request failed: HTTP ${answer.status}${answer.message ? `: ${answer.message}` : ''}`);
          }
          const lines = readLines(MAX_POLL_LINES);
          const decoder = new TextDecoder();
          for await (const chunk of response.body) lines.feed(decoder.decode(chunk, { stream: true }));
          lines.end();
        } catch (error) {
          if (!signal.aborted) sink.problem(`polling ${topic} for a poll request failed: ${fetchErrorText(error)}`);
        }
      };

      const run = async (): Promise<void> => {
        let response: Response;
        try {
          response = await deps.fetch(url, { headers, signal });
        } catch (error) {
          if (!signal.aborted) sink.failed(judgeBrokenStream(fetchErrorText(error)));
          return;
        }
        const contentType = response.headers.get('content-type') ?? '';
        if (response.status !== 200 || !JSON_STREAM.test(contentType) || !response.body) {
          const answer = await refusedAnswerOf(response);
          if (!signal.aborted) sink.failed(judgeRefusal(answer, url, NTFY_STREAM_WORDS));
          return;
        }
        sink.opened();
        const lines = readLines(Infinity);
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body) {
            sink.bytes();
            lines.feed(decoder.decode(chunk, { stream: true }));
          }
          lines.end();
        } catch (error) {
          if (!signal.aborted) sink.failed(judgeBrokenStream(fetchErrorText(error)));
          return;
        }
        if (!signal.aborted) sink.failed(judgeBrokenStream(undefined));
      };

      void run();
      return { close: () => controller.abort() };
    },
  };
}
