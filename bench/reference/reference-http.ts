// What both reference servers share: command-line options, reading a text/plain
// publish body, the notify payload (shaped like Herald's, so frames are the same size),
// and the startup line and shutdown that the benchmark relies on.

import type http from 'node:http';
import { parseArgs } from 'node:util';

export const MAX_MESSAGE_BYTES = 4096;
const TOPIC = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export function listenOptions(): { host: string; port: number } {
  const { values } = parseArgs({
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } },
    strict: false,
  });
  return { host: String(values.host), port: Number(values.port) };
}

/** The topic of `POST /topics/:topic`, or null when the path names none or an invalid one. */
export function topicOfPublish(pathname: string): string | null {
  if (!pathname.startsWith('/topics/')) return null;
  const topic = decodeURIComponent(pathname.slice('/topics/'.length));
  return TOPIC.test(topic) ? topic : null;
}

export function topicsOfSubscribe(url: URL): string[] {
  return (url.searchParams.get('topics') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => TOPIC.test(t));
}

export function notifyData(topic: string, body: string): { topic: string; time: number; body: string; priority: number; tags: string[] } {
  return { topic, time: Date.now(), body, priority: 3, tags: [] };
}

/** Reads a text/plain body up to MAX_MESSAGE_BYTES; answers 413 or 415 itself and resolves null. */
export function readMessage(request: http.IncomingMessage, response: http.ServerResponse): Promise<string | null> {
  return new Promise((resolve) => {
    if (!(request.headers['content-type'] ?? '').startsWith('text/plain')) {
      request.resume();
      sendJson(response, 415, { error: 'expected content-type text/plain' });
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_MESSAGE_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_MESSAGE_BYTES) {
        sendJson(response, 413, { error: `expected at most ${MAX_MESSAGE_BYTES} bytes` });
        return resolve(null);
      }
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', () => resolve(null));
  });
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Listen, print the line the benchmark waits for, and exit cleanly on SIGINT/SIGTERM (so `--cpu-prof` is written). */
export function serve(server: http.Server, onShutdown: () => void): void {
  const { host, port } = listenOptions();
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    console.log(`listening on http://${host}:${actual}`);
  });
  const shutdown = (): void => {
    onShutdown();
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
