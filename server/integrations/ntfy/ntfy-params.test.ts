// Reading ntfy's parameters (headers, aliases, query forms, RFC 2047 words), `since=`,
// topic names, and writing ntfy's message JSON, against ntfy's docs and source.

import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../protocol/events.ts';
import { NtfyParams, decodeEncodedWords } from './ntfy-params.ts';
import { parseGoDuration, parseSince } from './ntfy-since.ts';
import { RESERVED_TOPICS, ntfyTopic, ntfyTopicList } from './ntfy-topics.ts';
import { ntfyFrame, ntfyId, ntfyMessageOf } from './ntfy-message.ts';

const params = (target: string, headers: Record<string, string> = {}, overlay?: Map<string, string>) =>
  new NtfyParams({ headers } as unknown as IncomingMessage, new URL(target, 'http://h'), overlay);

describe('NtfyParams', () => {
  it('reads a header under any alias before any query parameter, trimmed', () => {
    expect(params('/t?title=query', { t: '  short alias ' }).get('x-title', 'title', 't')).toBe('short alias');
    expect(params('/t?t=query').get('x-title', 'title', 't')).toBe('query');
    expect(params('/t?x-title=long').get('x-title', 'title', 't')).toBe('long');
    // Query names are lower case only (ntfy docs, "List of all parameters").
    expect(params('/t?X-Title=upper').get('x-title', 'title', 't')).toBe('');
    expect(params('/t', { 'x-title': '' }).get('x-title', 'title', 't')).toBe('');
  });

  it('lets a JSON publish overlay win over the request headers', () => {
    expect(params('/', { 'x-title': 'header' }, new Map([['x-title', 'json']])).get('x-title')).toBe('json');
  });

  it('ignores the RFC 9218 Priority header that proxies add', () => {
    expect(params('/t?p=high', { priority: 'u=3, i' }).get('x-priority', 'priority', 'prio', 'p')).toBe('high');
    expect(params('/t', { priority: 'u=1' }).get('x-priority', 'priority', 'prio', 'p')).toBe('');
    expect(params('/t', { priority: 'urgent' }).get('x-priority', 'priority', 'prio', 'p')).toBe('urgent');
  });

  it('reads booleans and lists as ntfy does', () => {
    expect(params('/t?md=yes').bool(false, 'x-markdown', 'markdown', 'md')).toBe(true);
    expect(params('/t?md=banana').bool(true, 'x-markdown', 'markdown', 'md')).toBe(false);
    expect(params('/t').bool(true, 'x-cache', 'cache')).toBe(true);
    expect(params('/t', { tags: 'a, b,,c ' }).list('x-tags', 'tags')).toEqual(['a', 'b', 'c']);
  });
});

describe('decodeEncodedWords (RFC 2047)', () => {
  it("decodes ntfy's documented examples", () => {
    // ntfy docs, docs/publish.md "List of all parameters".
    expect(decodeEncodedWords('=?UTF-8?B?8J+HqfCfh6o=?=')).toBe('🇩🇪');
    expect(decodeEncodedWords('=?UTF-8?Q?=C3=84pfel?=')).toBe('Äpfel');
  });

  it('joins adjacent words, keeps text around them, and leaves what does not decode as it came', () => {
    expect(decodeEncodedWords('=?utf-8?q?Hello_?= =?utf-8?q?World?=')).toBe('Hello World');
    expect(decodeEncodedWords('Re: =?ISO-8859-1?Q?Caf=E9?= open')).toBe('Re: Café open');
    expect(decodeEncodedWords('=?koi8-r?B?8tXT08vJyg==?=')).toBe('=?koi8-r?B?8tXT08vJyg==?=');
    expect(decodeEncodedWords('=?UTF-8?B?not base64?=')).toBe('=?UTF-8?B?not base64?=');
    expect(decodeEncodedWords('=?UTF-8?Q?=FF?=')).toBe('=?UTF-8?Q?=FF?=');
    expect(decodeEncodedWords('a = b ?= c')).toBe('a = b ?= c');
  });
});

describe('since=', () => {
  const log = { isValidId: (id: string) => /^\d+$/.test(id) };
  const now = 1_700_000_000_000;

  it('reads all, latest, none, ids, Unix times and Go durations', () => {
    expect(parseSince('', false, now, log)).toEqual({ kind: 'none' });
    expect(parseSince('', true, now, log)).toEqual({ kind: 'all' });
    expect(parseSince('all', false, now, log)).toEqual({ kind: 'all' });
    expect(parseSince('latest', false, now, log)).toEqual({ kind: 'latest' });
    expect(parseSince('none', true, now, log)).toEqual({ kind: 'none' });
    expect(parseSince(ntfyId('42'), false, now, log)).toEqual({ kind: 'id', id: '42' });
    // A bare number is a Unix time (as ntfy reads it), never a Herald id.
    expect(parseSince('1699999000', false, now, log)).toEqual({ kind: 'time', ms: 1_699_999_000_000 });
    expect(parseSince('10m', false, now, log)).toEqual({ kind: 'time', ms: now - 600_000 });
    expect(parseSince('1h30m', false, now, log)).toEqual({ kind: 'time', ms: now - 5_400_000 });
  });

  it('refuses anything else, naming every form', () => {
    for (const raw of ['yesterday', '10d', 'h', 'hx1', '1e9']) {
      expect(() => parseSince(raw, false, now, log)).toThrow(
        expect.objectContaining({ code: 'bad_id', message: expect.stringMatching(/expected since= to be all, latest, none, a message id from this server/) }),
      );
    }
  });

  it('parses durations as Go does', () => {
    expect([parseGoDuration('0'), parseGoDuration('1.5h'), parseGoDuration('.5s'), parseGoDuration('-5s'), parseGoDuration('300ms'), parseGoDuration('2h45m30s')]).toEqual([
      0, 5_400_000, 500, -5000, 300, 9_930_000,
    ]);
    expect([parseGoDuration(''), parseGoDuration('5'), parseGoDuration('1d'), parseGoDuration('m')]).toEqual([null, null, null, null]);
  });
});

describe('ntfy topic names', () => {
  it('takes [-_A-Za-z0-9]{1,64} and refuses the reserved names, listing them', () => {
    expect(ntfyTopic('phil_alerts-2')).toBe('phil_alerts-2');
    expect(() => ntfyTopic('a.b')).toThrow(/expected an ntfy topic name of 1 to 64 letters, digits, "-" or "_", got "a.b"/);
    expect(() => ntfyTopic('x'.repeat(65))).toThrow(/expected an ntfy topic name/);
    expect(() => ntfyTopic('events')).toThrow(/"events" is reserved for Herald's own routes; pick another name \(reserved: events, topics, health, jobs, hooks, metrics,/);
    expect(RESERVED_TOPICS).toEqual(expect.arrayContaining(['events', 'topics', 'health', 'jobs', 'hooks', 'metrics', 'dashboard', 'message', 'login', 'logout']));
    expect(ntfyTopicList('a,b,,a', 10)).toEqual(['a', 'b']);
    expect(() => ntfyTopicList('a,b,c', 2)).toThrow(/at most 2 topics on one connection, got 3/);
  });
});

describe('ntfy messages', () => {
  const docs = JSON.parse(readFileSync(new URL('../../../test/fixtures/ntfy/subscribe-json-stream.json', import.meta.url), 'utf8'));
  const notify = (data: Record<string, unknown>): HeraldEvent =>
    ({ id: '7', type: 'notify', data: { topic: 'phil_alerts', time: 1_638_542_110_123, body: 'x', priority: 3, tags: [], ...data } }) as HeraldEvent;

  it("has the documented minimal message's fields, in ntfy's order", () => {
    const message = ntfyMessageOf(notify({ body: docs.minimalMessage.message }), 1002_000)!;
    expect(Object.keys(message)).toEqual(Object.keys(docs.minimalMessage));
    expect(message).toEqual({ ...docs.minimalMessage, id: 'h7' });
  });

  it('writes JSON lines, SSE frames and raw lines as ntfy does, escaping like Go', () => {
    const message = ntfyMessageOf(notify({ body: 'a <b> & c\nnext' }), null)!;
    expect(ntfyFrame('json', message).toString()).toBe(
      '{"id":"h7","time":1638542110,"event":"message","topic":"phil_alerts","message":"a \\u003cb\\u003e \\u0026 c\\nnext"}\n',
    );
    expect(ntfyFrame('raw', message).toString()).toBe('a <b> & c next\n');
    expect(ntfyFrame('raw', { ...message, event: 'keepalive' }).toString()).toBe('\n');
    // The docs' SSE stream, byte for byte, from its own messages (Herald adds `id:` to messages).
    const recorded: string = docs.sse;
    const messages = [...recorded.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
    const frames = messages.map((m) => ntfyFrame('sse', m).toString()).join('');
    expect(frames.replace(/^id: .*\n/gm, '')).toBe(recorded);
    expect(frames).toContain('id: p0M5y6gcCY\ndata: {"id":"p0M5y6gcCY"');
    expect(docs.lines.map((line: never) => ntfyFrame('json', line).toString()).join('')).toBe(docs.lines.map((l: unknown) => `${JSON.stringify(l)}\n`).join(''));
  });

  it('shows an alert as a message and leaves out what ntfy has no form for', () => {
    const alert = { id: '9', type: 'alert', data: { topic: 'system', time: 5000, level: 'critical', message: 'disk 97% full' } } as HeraldEvent;
    expect(ntfyMessageOf(alert, null)).toEqual({
      id: 'h9', time: 5, event: 'message', topic: 'system', title: 'system: critical', message: 'disk 97% full', priority: 5, tags: ['rotating_light'],
    });
    const resolved = { id: '10', type: 'alert', data: { topic: 'am/DiskFull', time: 5000, level: 'ok', message: 'resolved', click: 'https://prom.example/graph' } } as HeraldEvent;
    expect(ntfyMessageOf(resolved, null)).toEqual({
      id: 'h10', time: 5, event: 'message', topic: 'am/DiskFull', title: 'am/DiskFull: ok', message: 'resolved', tags: ['white_check_mark'], click: 'https://prom.example/graph',
    });
    expect(ntfyMessageOf({ id: '1', type: 'update', data: { topic: 's', time: 1, status: {} } } as HeraldEvent, null)).toBeNull();
  });
});
