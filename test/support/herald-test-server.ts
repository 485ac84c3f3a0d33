// Test harness for the status server: a real server on 127.0.0.1 port 0 with a
// SQLite log in a fresh temp dir, plus two real clients: the `eventsource` package
// (what the desktop app uses) and a raw node:http reader that parses frames with
// eventsource-parser, for tests that need to see statuses, retry and comments.

import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createHeraldServer, type HeraldServer } from '../../server/app.ts';
import type { HeraldServerOptions } from '../../server/plugin.ts';
import { EVENT_TYPES, type EventType } from '../../server/protocol/events.ts';

export interface TestServer {
  server: HeraldServer;
  url: string;
  dataDir: string;
  /** POST /topics/:topic with a text body (or a JSON one for an object). */
  publish(topic: string, body: string | object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'herald-test-'));
  const server = await createHeraldServer({ port: 0, dataDir, onError: () => {}, ...options });
  const url = server.url;
  return {
    server,
    url,
    dataDir,
    async publish(topic, body, headers = {}) {
      const json = typeof body !== 'string';
      const response = await fetch(`${url}/topics/${topic}`, {
        method: 'POST',
        headers: { 'Content-Type': json ? 'application/json' : 'text/plain', ...headers },
        body: json ? JSON.stringify(body) : body,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolve when `check` returns true; reject after `timeoutMs` with `describe()`. */
export async function waitUntil(check: () => boolean, describe: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Received {
  id: string;
  type: EventType;
  data: any;
}

export interface EventSourceClient {
  es: EventSource;
  events: Received[];
  errors: number;
  opens: number;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): void;
}

/** The real `eventsource` client, listening for every Herald event type. */
export function openEventSource(url: string, headers: Record<string, string> = {}): EventSourceClient {
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
  });
  const client: EventSourceClient = {
    es,
    events: [],
    errors: 0,
    opens: 0,
    async waitFor(count, timeoutMs = 5000) {
      await waitUntil(
        () => client.events.length >= count,
        () => `expected ${count} events, got ${client.events.length}: ${JSON.stringify(client.events.map((e) => e.id))}`,
        timeoutMs,
      );
      return client.events.slice(0, count);
    },
    close: () => es.close(),
  };
  for (const type of EVENT_TYPES) {
    es.addEventListener(type, (event) => {
      client.events.push({ id: event.lastEventId, type, data: JSON.parse(event.data) });
    });
  }
  es.addEventListener('open', () => client.opens++);
  es.addEventListener('error', () => client.errors++);
  return client;
}

export interface RawStream extends OpenResponse {
  messages: EventSourceMessage[];
  comments: string[];
  retry: number | null;
  waitFor(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
}

/** What every streamed GET has: its status line, and its end. */
export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Resolves when the server ends the response (or it is closed). */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/**
 * A GET read with node:http as it arrives: resolves with the stream `read` builds
 * around the response once the status line is in, and hands `read`'s `feed` each
 * chunk of text.
 */
export function openStreamingGet<S>(
  url: string,
  headers: Record<string, string>,
  read: (response: OpenResponse) => { stream: S; feed(chunk: string): void },
): Promise<S> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let ended = false;
      let markEnded!: () => void;
      const { stream, feed } = read({
        status: res.statusCode ?? 0,
        headers: res.headers,
        ended: new Promise<void>((r) => (markEnded = r)),
        isEnded: () => ended,
        close: () => req.destroy(),
      });
      res.setEncoding('utf8');
      res.on('data', feed);
      const finish = (): void => {
        ended = true;
        markEnded();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET read with node:http, its frames parsed by eventsource-parser. */
export function openRawStream(url: string, headers: Record<string, string> = {}): Promise<RawStream> {
  return openStreamingGet(url, { Accept: 'text/event-stream', ...headers }, (response) => {
    const stream: RawStream = {
      ...response,
      messages: [],
      comments: [],
      retry: null,
      async waitFor(count, timeoutMs = 5000) {
        await waitUntil(
          () => stream.messages.length >= count,
          () => `expected ${count} messages, got ${stream.messages.length}`,
          timeoutMs,
        );
        return stream.messages.slice(0, count);
      },
    };
    const parser = createParser({
      onEvent: (message) => stream.messages.push(message),
      onComment: (comment) => stream.comments.push(comment),
      onRetry: (retry) => (stream.retry = retry),
    });
    return { stream, feed: (chunk) => parser.feed(chunk) };
  });
}

/** A plain request; the body is parsed as JSON when it is JSON. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    // The path is sent as written (a URL object would resolve `a/../b`).
    const { hostname, port, origin } = new URL(url);
    const path = url.slice(origin.length);
    const req = request({ hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
