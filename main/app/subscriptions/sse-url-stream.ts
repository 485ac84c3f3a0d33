// A plain Server-Sent Events URL: any `text/event-stream` endpoint that is not a
// Herald server. Each event becomes a notify on the subscription's one topic, its data
// shown as text (or mapped by templates: server/protocol/sse-text-event.ts). Read
// with eventsource-parser over fetch rather than EventSource, because EventSource
// delivers only the event types a listener names, and these streams may use any.
//
// Lines are cut by LineSplitter (LF or CRLF; a stream that ends lines with a bare CR
// reads as one long line) and an event longer than MAX_SSE_EVENT is reported and
// skipped, so a huge event costs bounded memory and the stream reads on.
//
// An event with an `id:` is resumed after with `Last-Event-ID`, as EventSource would;
// an event without one gets an id made here (its history key), which is never sent
// back. Such endpoints need not send heartbeats, so there is no watchdog: a stream
// that ends or breaks is reconnected with backoff, never sooner than its `retry:`.

import { createParser } from 'eventsource-parser';
import { compileSseTemplates, sseTextEvent } from '../../../server/protocol/event-vocabulary.ts';
import { judgeBrokenStream, judgeRefusal, type StreamWords } from './connection-failure.ts';
import { LineSplitter } from './line-splitter.ts';
import { isEventStream, refusedAnswerOf } from './observed-fetch.ts';
import { authorizationOf, fetchErrorText, type ConnectionDeps, type ServerSubscription, type StreamTransport } from './stream-transport.ts';

/** The longest event (all its lines) read; a longer one is reported and skipped. */
export const MAX_SSE_EVENT = 1024 * 1024;

export const SSE_STREAM_WORDS: StreamWords = {
  stream: 'event stream',
  expected: 'text/event-stream',
  server: 'a Server-Sent Events endpoint',
  secret: 'credentials',
  credentials: "Set the stream's token, or its user and password (herald watch --token or --user, or the server's settings)",
};

export function sseUrlTransport(config: ServerSubscription, deps: ConnectionDeps): StreamTransport {
  const templates = config.templates ? compileSseTemplates(config.templates) : undefined;
  const topic = config.topics[0] ?? config.id;
  let made = 0;
  return {
    words: SSE_STREAM_WORDS,
    heartbeatMs: 0,
    open(request, sink) {
      const controller = new AbortController();
      const { signal } = controller;
      const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-store' };
      const authorization = authorizationOf(config);
      if (authorization) headers.Authorization = authorization;
      const resumeId = request.resumeId();
      if (resumeId !== null) headers['Last-Event-ID'] = resumeId;

      const parser = createParser({
        onRetry: (ms) => sink.retry(ms),
        onEvent: (message) => {
          const time = deps.clock.now();
          const id = message.id || `${time.toString(36)}-${(made++).toString(36)}`;
          const mapped = sseTextEvent({ type: message.event ?? 'message', id, data: message.data, topic, time, ...(templates ? { templates } : {}) });
          if (!mapped.ok) return sink.problem(mapped.problem);
          for (const note of mapped.notes) sink.problem(note);
          sink.received(mapped.event, message.id || null);
        },
      });

      // Lines reach the parser only while the event they belong to stays within
      // MAX_SSE_EVENT; a larger one is dropped up to the blank line that ends it.
      let eventLength = 0;
      let skipping = false;
      const skip = (): void => {
        if (!skipping) sink.problem(`${config.url}: an event of more than ${MAX_SSE_EVENT} characters arrived; skipped it`);
        skipping = true;
        parser.reset();
      };
      const lines = new LineSplitter(MAX_SSE_EVENT, {
        line: (text) => {
          if (text === '') {
            const skipped = skipping;
            skipping = false;
            eventLength = 0;
            if (!skipped) parser.feed('\n');
            return;
          }
          if (skipping) return;
          eventLength += text.length + 1;
          if (eventLength > MAX_SSE_EVENT) return skip();
          parser.feed(`${text}\n`);
        },
        tooLong: () => skip(),
      });

      const run = async (): Promise<void> => {
        let response: Response;
        try {
          response = await deps.fetch(config.url, { headers, signal });
        } catch (error) {
          if (!signal.aborted) sink.failed(judgeBrokenStream(fetchErrorText(error)));
          return;
        }
        if (response.status !== 200 || !isEventStream(response.headers.get('content-type') ?? '') || !response.body) {
          const answer = await refusedAnswerOf(response);
          if (!signal.aborted) sink.failed(judgeRefusal(answer, config.url, SSE_STREAM_WORDS));
          return;
        }
        sink.opened();
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body) {
            sink.bytes();
            lines.feed(decoder.decode(chunk, { stream: true }));
          }
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
