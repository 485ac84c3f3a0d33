// Publishing through the ntfy-compatible API (server/integrations/ntfy) on a real
// server: ntfy's headers and aliases, their query forms, the JSON form at /, curl's
// -d and -T, what each becomes in Herald's log, the answer ntfy gives, and every
// refusal (nothing stored after any of them). No ntfy server runs here: the requests
// and expected answers come from ntfy's docs and source (test/fixtures/ntfy/).

import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { TopicFilter } from '../server/protocol/topics.ts';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { RESERVED_TOPICS } from '../server/integrations/ntfy/ntfy-topics.ts';
import { rawRequest, startTestServer, type TestServer } from './support/herald-test-server.ts';
import { curl } from './support/ntfy-client.ts';
import { ManualClock } from './support/manual-clock.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ plugins: [ntfyPlugin()], ...options });
  return server;
}

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/ntfy/${name}`, import.meta.url), 'utf8'));

function send(method: string, path: string, body: string | Buffer = '', headers: Record<string, string | number> = {}) {
  return rawRequest(`${server!.url}${path}`, { method, headers, body });
}

/** Every stored event's data on `topic`, oldest first. */
async function stored(topic: string): Promise<Record<string, unknown>[]> {
  return (await server!.server.log.readAfter(null, TopicFilter.parse(topic), 100)).map((e) => e.data as unknown as Record<string, unknown>);
}

const base = { topic: 'alerts', time: expect.any(Number), priority: 3, tags: [] };

describe('PUT/POST /<topic> with headers', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['X- headers', { 'X-Title': 'Disk', 'X-Priority': '5', 'X-Tags': 'warning,skull', 'X-Click': 'https://a.example/x', 'X-Icon': 'https://a.example/i.png', 'X-Markdown': 'yes' },
      { title: 'Disk', priority: 5, tags: ['warning', 'skull'], click: 'https://a.example/x', icon: 'https://a.example/i.png', markdown: true }],
    ['plain names', { Title: 'Disk', Priority: 'high', Tags: 'a, b', Click: 'http://a.example', Markdown: '1', Icon: 'http://a.example/i' },
      { title: 'Disk', priority: 4, tags: ['a', 'b'], click: 'http://a.example', markdown: true, icon: 'http://a.example/i' }],
    ['short aliases', { t: 'Disk', p: 'min', ta: 'x', md: 'true' }, { title: 'Disk', priority: 1, tags: ['x'], markdown: true }],
    ['prio and tag', { prio: 'low', tag: 'one,two' }, { priority: 2, tags: ['one', 'two'] }],
    ['priority names', { 'X-Priority': 'urgent' }, { priority: 5 }],
    ['priority "default"', { Priority: 'default' }, { priority: 3 }],
    ['Content-Type: text/markdown', { 'Content-Type': 'text/markdown' }, { markdown: true }],
    ['an RFC 2047 title', { Title: '=?UTF-8?B?8J+HqfCfh6o=?= =?UTF-8?Q?=C3=84pfel?=' }, { title: '🇩🇪Äpfel' }],
    ['the RFC 9218 Priority a proxy adds', { Priority: 'u=3, i', 'X-Tags': 'ok' }, { tags: ['ok'] }],
    ['the actions short form', { Actions: 'view, Open portal, https://home.nest.com/, clear=true; http, Turn down, https://api.nest.com/, body=\'{"temperature": 65}\'' },
      { actions: [{ action: 'view', label: 'Open portal', url: 'https://home.nest.com/', clear: true }, { action: 'http', label: 'Turn down', url: 'https://api.nest.com/', body: '{"temperature": 65}' }] }],
    ['JSON actions', { 'X-Actions': '[{"action":"http","label":"Close","url":"https://door.lan","method":"put","headers":{"X-K":"v"}}]' },
      { actions: [{ action: 'http', label: 'Close', url: 'https://door.lan', method: 'PUT', headers: { 'X-K': 'v' } }] }],
    ['only a broadcast action (left out)', { Action: 'broadcast, Take picture, extras.cmd=pic' }, {}],
    ['ignored options (email, call, cache, firebase, up)', { Email: 'a@b.example', Call: 'yes', Cache: 'no', Firebase: 'no', up: '1' }, {}],
  ])('reads %s', async (_name, headers, expected) => {
    await start();
    const answer = await send('POST', '/alerts', 'Disk full', headers);
    expect(answer.status).toBe(200);
    expect(await stored('alerts')).toEqual([{ ...base, body: 'Disk full', ...expected }]);
  });

  it("answers 200 with the message as ntfy does: id, time, expires, event, topic, fields in ntfy's order", async () => {
    await start({ clock: new ManualClock(Date.UTC(2026, 0, 1)), retention: { maxAgeMs: 12 * 3600_000 } });
    const answer = await send('PUT', '/phil_alerts', 'Remote access detected', { Title: 'Access', Priority: '4', Tags: 'warning', Click: 'https://a.example', Actions: 'view, Look, https://a.example/l' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.text.endsWith('}\n')).toBe(true);
    const time = Date.UTC(2026, 0, 1) / 1000;
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^h\d+$/), time, expires: time + 12 * 3600, event: 'message', topic: 'phil_alerts', title: 'Access', message: 'Remote access detected',
      priority: 4, tags: ['warning'], click: 'https://a.example', actions: [{ id: `${answer.body.id}a1`, action: 'view', label: 'Look', url: 'https://a.example/l', clear: false }],
    });
    expect(Object.keys(answer.body)).toEqual(['id', 'time', 'expires', 'event', 'topic', 'title', 'message', 'priority', 'tags', 'click', 'actions']);
    const [event] = await server!.server.log.readAfter(null, TopicFilter.parse('phil_alerts'), 1);
    expect(answer.body.id).toBe(`h${event!.id}`);
  });

  it('takes the message from the body (trimmed), else from X-Message with \\n as a line break, else "triggered"', async () => {
    await start();
    await send('POST', '/t', '  padded \n');
    await send('POST', '/t', '', { 'X-Message': 'line one\\nline two' });
    await send('POST', '/t?m=from+query', '');
    await send('POST', '/t', '');
    await send('POST', '/t', '   ', { Message: 'a body of spaces wins' });
    expect((await stored('t')).map((d) => d.body)).toEqual(['padded', 'line one\nline two', 'from query', 'triggered', 'triggered']);
  });
});

describe('query forms', () => {
  it('reads every option from the query string, in lower case, when no header gives it', async () => {
    await start();
    const query = new URLSearchParams({
      title: 'From query', p: '4', ta: 'a,b', click: 'https://a.example', md: '1', icon: 'https://a.example/i',
      actions: 'view, Open, https://a.example/o', message: 'ignored: the body wins',
    });
    const answer = await send('POST', `/alerts?${query}`, 'Body text', { 'X-Title': 'Header wins' });
    expect(answer.status).toBe(200);
    expect(await stored('alerts')).toEqual([{
      ...base, body: 'Body text', title: 'Header wins', priority: 4, tags: ['a', 'b'], click: 'https://a.example', markdown: true, icon: 'https://a.example/i',
      actions: [{ action: 'view', label: 'Open', url: 'https://a.example/o' }],
    }]);
  });

  it('reads the long X- names and the other aliases as query parameters too', async () => {
    await start();
    await send('POST', '/alerts?x-title=T&x-priority=max&x-tags=z&x-click=https://a.example&markdown=yes&prio=1&tag=ignored', 'b');
    await send('POST', '/alerts?t=Short&priority=low&tags=q&x-markdown=no', 'c');
    expect(await stored('alerts')).toEqual([
      { ...base, body: 'b', title: 'T', priority: 5, tags: ['z'], click: 'https://a.example', markdown: true },
      { ...base, body: 'c', title: 'Short', priority: 2, tags: ['q'] },
    ]);
  });
});

describe('JSON publishing at /', () => {
  it('publishes the docs\' example once its attachment is left out, and refuses it with the attachment, storing nothing', async () => {
    await start();
    const example = fixture('publish-json.json').request;
    const refused = await send('POST', '/', JSON.stringify(example), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: expect.stringMatching(/expected no Attach or Filename: attachments are not supported by Herald/), code: 'bad_request' });
    expect(await server!.server.log.lastId()).toBeNull();

    const { attach: _a, filename: _f, ...rest } = example;
    const answer = await send('PUT', '/', JSON.stringify(rest));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ event: 'message', topic: 'mytopic', title: 'Low disk space alert', message: 'Disk space is low at 5.1 GB', priority: 4, tags: ['warning', 'cd'] });
    expect(await stored('mytopic')).toEqual([{
      ...base, topic: 'mytopic', body: 'Disk space is low at 5.1 GB', title: 'Low disk space alert', priority: 4, tags: ['warning', 'cd'],
      click: 'https://homecamera.lan/xasds1h2xsSsa/', actions: [{ action: 'view', label: 'Admin panel', url: 'https://filesrv.lan/admin' }],
    }]);
  });

  it("takes what Uptime Kuma's ntfy notifier sends", async () => {
    await start();
    const { request } = fixture('uptime-kuma.json');
    const answer = await send('POST', '/', JSON.stringify(request), { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(await stored('uptime')).toEqual([{
      ...base, topic: 'uptime', body: 'getaddrinfo ENOTFOUND example.invalid', title: 'Example site Down [Uptime-Kuma]', priority: 5, tags: ['red_circle'],
      actions: [{ action: 'view', label: 'Open Example site', url: 'https://example.invalid/' }],
    }]);
  });

  it('lets JSON fields win over headers and query, and fills in "triggered" for no message', async () => {
    await start();
    await send('POST', '/?title=query', JSON.stringify({ topic: 'j', title: 'json', markdown: true, priority: 0, message: null, tags: null }), { 'X-Title': 'header', 'X-Tags': 'from-header' });
    expect(await stored('j')).toEqual([{ ...base, topic: 'j', body: 'triggered', title: 'json', tags: ['from-header'], markdown: true }]);
  });

  it.each<[string, string, number, string, RegExp]>([
    ['invalid JSON', '{"topic": ', 400, 'bad_json', /expected a JSON object such as \{"topic": "mytopic", "message": "..."\}, got invalid JSON/],
    ['an array', '[1]', 400, 'bad_json', /got an array of 1/],
    ['no topic', '{"message": "hi"}', 400, 'bad_json', /expected "topic" to be the topic to publish to, a string, got nothing/],
    ['a reserved topic', '{"topic": "metrics", "message": "hi"}', 400, 'bad_topic', /"metrics" is reserved for Herald's own routes/],
    ['a topic with a dot', '{"topic": "a.b", "message": "hi"}', 400, 'bad_topic', /expected an ntfy topic name/],
    ['tags that are not strings', '{"topic": "t", "tags": [1]}', 400, 'bad_json', /expected "tags" to be an array of strings/],
    ['a title that is a number', '{"topic": "t", "title": 5}', 400, 'bad_json', /expected "title" to be a string, got 5/],
    ['markdown as a string', '{"topic": "t", "markdown": "yes"}', 400, 'bad_json', /expected "markdown" to be true or false/],
    ['a priority of 9', '{"topic": "t", "priority": 9}', 400, 'bad_request', /expected a priority of 1 to 5/],
    ['a delay', '{"topic": "t", "delay": "30m"}', 400, 'bad_request', /expected no Delay, At or In: delayed delivery is not supported by Herald/],
    ['actions that are an object', '{"topic": "t", "actions": {}}', 400, 'bad_json', /expected "actions" to be an array of actions/],
  ])('refuses %s with %i, storing nothing', async (_name, body, status, code, message) => {
    await start();
    const answer = await send('POST', '/', body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: expect.stringMatching(message), code });
    expect(await server!.server.log.lastId()).toBeNull();
  });
});

describe('curl, as the docs and cron jobs run it', () => {
  it('publishes with curl -d (a form content type), -H headers and -T (PUT of a file)', async () => {
    await start();
    const out = JSON.parse(await curl(['-d', 'Backup successful 😀', `${server!.url}/mytopic`]));
    expect(out).toMatchObject({ id: expect.stringMatching(/^h/), event: 'message', topic: 'mytopic', message: 'Backup successful 😀' });
    await curl(['-H', 'Title: Dogs are better than cats', '-H', 'Priority: urgent', '-H', 'Tags: warning,skull', '-d', 'Oh my ...', `${server!.url}/mytopic`]);
    await curl(['-T', new URL('./fixtures/ntfy/publish-json.json', import.meta.url).pathname, `${server!.url}/mytopic`]);
    const events = await stored('mytopic');
    expect(events.slice(0, 2)).toEqual([
      { ...base, topic: 'mytopic', body: 'Backup successful 😀' },
      { ...base, topic: 'mytopic', body: 'Oh my ...', title: 'Dogs are better than cats', priority: 5, tags: ['warning', 'skull'] },
    ]);
    // -T sends the file as the body of a PUT: a text file is the message, like ntfy.
    expect(events[2]?.body).toBe(readFileSync(new URL('./fixtures/ntfy/publish-json.json', import.meta.url), 'utf8').trim());
  });
});

describe('refusals', () => {
  it.each<[string, string, string, Record<string, string>, number, string, RegExp]>([
    ['a reserved topic', '/events', 'x', {}, 400, 'bad_topic', /the topic name "events" is reserved for Herald's own routes; pick another name \(reserved: events, topics, health, jobs/],
    ['a reserved topic (PUT)', '/jobs', 'x', {}, 400, 'bad_topic', /"jobs" is reserved/],
    ['a topic ntfy does not allow', '/a%2Fb', 'x', {}, 400, 'bad_topic', /expected an ntfy topic name of 1 to 64 letters, digits, "-" or "_", got "a\/b"/],
    ['a bad priority', '/t', 'x', { Priority: 'very' }, 400, 'bad_request', /expected a priority of 1 to 5 or min, low, default, high, max, urgent; got "very"/],
    ['an attachment URL', '/t', 'x', { Attach: 'https://a.example/f.jpg' }, 400, 'bad_request', /attachments are not supported/],
    ['a file upload', '/t', 'x', { Filename: 'f.txt' }, 400, 'bad_request', /attachments are not supported/],
    ['a delay', '/t?in=30m', 'x', {}, 400, 'bad_request', /delayed delivery is not supported/],
    ['a template', '/t', '{"a":1}', { Template: 'yes' }, 400, 'bad_request', /message templates are not supported/],
    ['broken actions', '/t', 'x', { Actions: 'view, "Open' }, 400, 'bad_request', /expected ntfy actions .*a quote opened at position 7 is never closed/],
    ['a click that is not http(s)', '/t', 'x', { Click: 'file:///etc/passwd' }, 400, 'bad_request', /expected "click" to be an http or https URL, got a file: URL/],
    ['an icon that is not http(s)', '/t', 'x', { Icon: 'javascript:alert(1)' }, 400, 'bad_request', /expected "icon" to be an http or https URL/],
    ['a view action to a file', '/t', 'x', { Actions: 'view, Open, file:///etc' }, 400, 'bad_request', /expected "actions\[0\].url" to be an http or https URL/],
    ['a body that is not UTF-8', '/t', '\xff\xfe', {}, 400, 'bad_request', /expected the body as UTF-8/],
    ['a compressed body', '/t', 'x', { 'Content-Encoding': 'gzip' }, 415, 'unsupported_media_type', /expected an uncompressed body/],
  ])('refuses %s, storing nothing', async (_name, path, body, headers, status, code, message) => {
    await start();
    const answer = await send('POST', path, Buffer.from(body, 'latin1'), headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: expect.stringMatching(message), code });
    expect(await server!.server.log.lastId()).toBeNull();
  });

  it('refuses a body over the limit with 413, declared or not, and a JSON message over it', async () => {
    await start({ maxBodyBytes: 100 });
    const declared = await send('POST', '/t', 'x'.repeat(101));
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ error: 'expected a body of at most 100 bytes, got 101 bytes', code: 'too_large' });
    // The JSON may be twice the limit (the JSON around the message), its message not.
    const json = await send('POST', '/', JSON.stringify({ topic: 't', message: 'y'.repeat(150) }));
    expect(json.status).toBe(413);
    expect(json.body).toEqual({ error: 'expected a "message" of at most 100 bytes, got 150', code: 'too_large' });
    const tooBig = await send('POST', '/', JSON.stringify({ topic: 't', message: 'y'.repeat(250) }));
    expect(tooBig.status).toBe(413);
    expect(await server!.server.log.lastId()).toBeNull();
  });

  it('asks for the token (401), in any form, and takes it in any form', async () => {
    await start({ token: 'tk-ntfy-1' });
    expect((await send('POST', '/t', 'x')).status).toBe(401);
    expect((await send('POST', '/t', 'x', { Authorization: 'Bearer wrong' })).body).toEqual({ error: "the token does not match this server's token", code: 'unauthorized' });
    expect((await send('POST', '/t', 'a', { Authorization: 'Bearer tk-ntfy-1' })).status).toBe(200);
    expect((await send('POST', '/t', 'b', { Authorization: `Basic ${Buffer.from('phil:tk-ntfy-1').toString('base64')}` })).status).toBe(200);
    expect((await send('POST', `/t?auth=${Buffer.from('Bearer tk-ntfy-1').toString('base64url')}`, 'c')).status).toBe(200);
    expect((await send('POST', '/', JSON.stringify({ topic: 't', message: 'd' }), { Authorization: 'Bearer tk-ntfy-1' })).status).toBe(200);
    expect((await stored('t')).map((d) => d.body)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('applies the publish rate limit (429 with Retry-After)', async () => {
    await start({ rateLimit: { perSec: 1, burst: 2, includeLoopback: true } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send('POST', '/t', `m${i}`));
    answers.push(await send('POST', '/', JSON.stringify({ topic: 't', message: 'json' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expect(answers[2]!.headers['retry-after']).toBe('1');
    expect((await stored('t')).map((d) => d.body)).toEqual(['m0', 'm1']);
  });
});

describe('beside Herald\'s own routes', () => {
  it('leaves them as they were: 404 for unknown paths, 405 with Allow for a wrong method, publish and health', async () => {
    await start();
    expect((await send('GET', '/nope')).status).toBe(404);
    const wrong = await send('DELETE', '/events?topics=a');
    expect([wrong.status, wrong.headers.allow]).toEqual([405, 'GET']);
    expect((await send('DELETE', '/mytopic')).status).toBe(404);
    expect((await send('POST', '/topics/a', 'x', { 'Content-Type': 'text/plain' })).status).toBe(201);
    expect((await send('GET', '/health')).status).toBe(200);
  });

  it('reserves the first path segment of every route Herald has', () => {
    // Every `path: '/name...'` in the server's sources: a topic of that name would collide.
    const segments = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const [, segment] of readFileSync(path, 'utf8').matchAll(/path: [`'"]\/([-_A-Za-z0-9]+)/g)) segments.add(segment!);
        }
      }
    };
    walk(new URL('../server', import.meta.url).pathname);
    expect(segments).toContain('events');
    expect(segments).toContain('message');
    expect([...segments].filter((s) => !RESERVED_TOPICS.includes(s))).toEqual([]);
  });
});
