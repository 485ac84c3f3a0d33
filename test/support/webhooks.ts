// Posting webhooks to a test server as their senders do (raw bytes, so a signature
// made over them stays valid), the real payloads of test/fixtures/, and what the
// server stored.

import { readFileSync } from 'node:fs';
import type { HeraldServer } from '../../server/app.ts';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { TopicFilter } from '../../server/protocol/topics.ts';

/** A file of test/fixtures/ (see its README for where each came from), as bytes. */
export function fixture(path: string): Buffer {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
}

export function fixtureJson(path: string): any {
  return JSON.parse(fixture(path).toString('utf8'));
}

export interface HookAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** POST `body` (bytes as they are, an object as JSON) to `path`, with `Content-Type: application/json` unless told. */
export async function postHook(url: string, path: string, body: Buffer | string | object, headers: Record<string, string> = {}): Promise<HookAnswer> {
  const payload = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: payload,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Every event the server's log holds, oldest first. */
export async function storedEvents(server: HeraldServer): Promise<HeraldEvent[]> {
  return server.log.readAfter(null, TopicFilter.parse('**'), 10_000);
}
