// Fuzzing the parsers of the ntfy and Gotify integrations and the credential reader,
// then the routes on a real server on 127.0.0.1. The properties:
//
// - every parser either answers or throws a HeraldError that becomes a 4xx; nothing
//   else escapes (a TypeError would be a 500);
// - what a client writes in a documented form reads back exactly: any token in each
//   credential form, any text in RFC 2047 B and Q words, any actions in ntfy's short
//   form (quoted) and as JSON;
// - the server answers any ntfy header values, any since=, any Gotify body with a
//   2xx or a JSON 4xx, never a 5xx, and stays healthy; a 200 publish stored exactly
//   one event.

import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeraldError } from '../server/protocol/errors.ts';
import { TopicFilter } from '../server/protocol/topics.ts';
import type { NotifyAction } from '../server/protocol/events.ts';
import { presentedCredential } from '../server/http/credentials.ts';
import { decodeEncodedWords } from '../server/integrations/ntfy/ntfy-params.ts';
import { parseActions } from '../server/integrations/ntfy/ntfy-actions.ts';
import { parseSince } from '../server/integrations/ntfy/ntfy-since.ts';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { gotifyPlugin } from '../server/integrations/gotify/index.ts';
import { rawRequest, startTestServer, type TestServer } from './support/herald-test-server.ts';

/** Runs `fn`; true when it returned or threw a HeraldError, rethrows anything else. */
function answersOrRefuses(fn: () => unknown): boolean {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof HeraldError) || error.status >= 500) throw error;
  }
  return true;
}

const request = (url: string, headers: Record<string, string>) => ({ url, headers }) as unknown as IncomingMessage;
/** Tokens as clients can send them: visible ASCII without spaces (server/protocol/token-format.ts). */
const token = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 60 });
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

describe('the credential reader', () => {
  it('reads any token back from every form', () => {
    fc.assert(
      fc.property(token, fc.string({ maxLength: 10 }).filter((u) => !u.includes(':')), (t, user) => {
        const basic = `Basic ${Buffer.from(`${user}:${t}`).toString('base64')}`;
        const read = [
          presentedCredential(request('/a', { authorization: `Bearer ${t}` })),
          presentedCredential(request('/a', { authorization: basic })),
          presentedCredential(request(`/a?auth=${Buffer.from(`Bearer ${t}`).toString('base64url')}`, {})),
          presentedCredential(request(`/a?auth=${Buffer.from(basic).toString('base64url')}`, {})),
          presentedCredential(request(`/a?token=${encodeURIComponent(t)}`, {})),
          presentedCredential(request('/a', { 'x-gotify-key': t })),
        ];
        expect(read.map((r) => r?.token)).toEqual(Array(6).fill(t));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the headers and query hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 }), (authorization, query, gotify) => {
        const headers: Record<string, string> = { authorization };
        if (gotify !== '') headers['x-gotify-key'] = gotify;
        const read = presentedCredential(request(`/a?${query}`, headers));
        expect(read === null || typeof read.token === 'string' || 'problem' in read).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('RFC 2047 words', () => {
  const qEncode = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

  it('read back any text written in B or Q words, and leave text without words as it is', () => {
    fc.assert(
      fc.property(text, fc.string({ maxLength: 40 }), (s, plain) => {
        expect(decodeEncodedWords(`=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`)).toBe(s);
        expect(decodeEncodedWords(`=?utf-8?q?${qEncode(s)}?=`)).toBe(s);
        if (!plain.includes('=?')) expect(decodeEncodedWords(plain)).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any header value', () => {
    const wordish = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('=?', '?=', '?B?', '?Q?', 'UTF-8', '=C3', '_', ' ')), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(fc.property(wordish, (value) => typeof decodeEncodedWords(value) === 'string'), { numRuns: 1000 });
  });
});

describe("ntfy's actions", () => {
  // Values without a backslash: ntfy's short form has no way to end a quoted value with one.
  const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\\'));
  const action: fc.Arbitrary<NotifyAction> = fc.oneof(
    fc.record({ action: fc.constant('view' as const), label: value, url: value }),
    fc.record(
      { action: fc.constant('http' as const), label: value, url: value, method: fc.constantFrom('POST', 'PUT', 'DELETE'), body: value, clear: fc.constant(true) },
      { requiredKeys: ['action', 'label', 'url'] },
    ),
  );
  const quoted = (s: string) => `'${s.replaceAll("'", "\\'")}'`;
  const shortForm = (a: NotifyAction) =>
    [a.action, quoted(a.label), `url=${quoted(a.url)}`, ...('method' in a && a.method ? [`method=${a.method}`] : []), ...('body' in a && a.body !== undefined ? [`body=${quoted(a.body)}`] : []), ...(a.clear ? ['clear=true'] : [])].join(', ');

  it('read back from the short form and from JSON', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 3 }), (actions) => {
        expect(parseActions(actions.map(shortForm).join('; '))).toEqual(actions);
        expect(parseActions(JSON.stringify(actions))).toEqual(actions);
      }),
      { numRuns: 300 },
    );
  });

  it('answer or refuse with a 400 on any input', () => {
    const piece = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('view', 'http', 'broadcast', ',', ';', '=', '"', "'", '\\', 'label=', 'url=', 'clear=', 'headers.X=', '[', ']', '{', '}', 'https://a'));
    fc.assert(fc.property(fc.array(piece, { maxLength: 16 }).map((p) => p.join('')), (input) => answersOrRefuses(() => parseActions(input))), { numRuns: 2000 });
    fc.assert(fc.property(fc.jsonValue(), (json) => answersOrRefuses(() => parseActions(JSON.stringify(json)))), { numRuns: 500 });
  });
});

describe('since=', () => {
  it('answers or refuses with a 400 on any value', () => {
    const log = { isValidId: (id: string) => /^\d+$/.test(id) };
    const since = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[-+]?[0-9.]{0,6}(ns|us|ms|s|m|h|d)?$/), fc.stringMatching(/^h[0-9-]{0,8}$/));
    fc.assert(fc.property(since, fc.boolean(), (raw, poll) => answersOrRefuses(() => parseSince(raw, poll, Date.now(), log))), { numRuns: 2000 });
  });
});

describe('the routes, on a real server', () => {
  let server: TestServer;
  const internalErrors: unknown[] = [];
  beforeAll(async () => {
    server = await startTestServer({ plugins: [ntfyPlugin(), gotifyPlugin()], onError: (error) => internalErrors.push(error) });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Header values Node will send: latin1 bytes without control characters (DEL included). */
  const headerValue = fc.oneof(
    fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    fc.constantFrom('5', 'urgent', 'u=3, i', 'a,b,,c', 'https://e.x/', 'javascript:alert(1)', '=?UTF-8?B?8J+HqfCfh6o=?=', 'view, Open, https://a.example', "http, 'x", '[{"action":"view"}]', 'yes', '30m'),
  );
  const ntfyHeader = fc.constantFrom('X-Title', 'Title', 't', 'X-Priority', 'p', 'Tags', 'ta', 'X-Click', 'X-Icon', 'X-Actions', 'Markdown', 'X-Message', 'Content-Type', 'Attach', 'Delay', 'Template', 'Email', 'Cache');

  async function healthy(): Promise<void> {
    expect((await rawRequest(`${server.url}/health`)).status).toBe(200);
    expect(internalErrors).toEqual([]);
  }

  it('answer any ntfy headers with a 200 that stored one event or a JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(ntfyHeader, headerValue), { maxLength: 5 }), fc.string({ maxLength: 60 }), async (pairs, body) => {
        const before = await server.server.log.lastId();
        const answer = await rawRequest(`${server.url}/fuzz`, { method: 'POST', headers: Object.fromEntries(pairs), body });
        expect(answer.status < 500).toBe(true);
        if (answer.status === 200) {
          expect(answer.body).toMatchObject({ event: 'message', topic: 'fuzz' });
          const [event] = await server.server.log.readAfter(before, TopicFilter.parse('fuzz'), 5);
          expect(`h${event!.id}`).toBe(answer.body.id);
        } else {
          expect(answer.body).toEqual({ error: expect.any(String), code: expect.any(String) });
          expect(await server.server.log.lastId()).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
    await healthy();
  });

  it('answer any since= and filter on a stream with a 200 or a JSON 400', async () => {
    const query = fc.record({ since: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('all', 'latest', 'none', 'h1', '10m', '1700000000')), p: fc.option(fc.string({ maxLength: 8 })) });
    await fc.assert(
      fc.asyncProperty(query, async ({ since, p }) => {
        const params = new URLSearchParams({ poll: '1', since, ...(p === null ? {} : { p }) });
        const answer = await rawRequest(`${server.url}/fuzz/json?${params}`);
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400) expect(answer.body.code).toMatch(/^bad_/);
      }),
      { numRuns: 150 },
    );
    await healthy();
  });

  it('answer any Gotify body with a 200 or a JSON 4xx', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((v) => ({ type: 'application/json', body: JSON.stringify(v) })),
      fc.record({ message: fc.option(fc.oneof(fc.string(), fc.integer())), title: fc.option(fc.string()), priority: fc.option(fc.oneof(fc.integer(), fc.string(), fc.double())), extras: fc.option(fc.jsonValue()) }, { requiredKeys: [] })
        .map((v) => ({ type: 'application/json', body: JSON.stringify(v) })),
      fc.dictionary(fc.constantFrom('message', 'title', 'priority', 'x'), fc.string({ maxLength: 20 })).map((v) => ({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(v).toString() })),
      fc.string({ maxLength: 60 }).map((s) => ({ type: 'multipart/form-data; boundary=b', body: `--b\r\nContent-Disposition: form-data; name="message"\r\n\r\n${s}\r\n--b--\r\n` })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ type, body: text }) => {
        const answer = await rawRequest(`${server.url}/message`, { method: 'POST', headers: { 'Content-Type': type }, body: text });
        expect(answer.status < 500).toBe(true);
        if (answer.status === 200) expect(Object.keys(answer.body)).toEqual(expect.arrayContaining(['id', 'appid', 'message', 'title', 'priority', 'date']));
        else expect(answer.body).toEqual({ error: expect.any(String), code: expect.any(String) });
      }),
      { numRuns: 200 },
    );
    await healthy();
  });
});
