// Gotify-compatible publishing (server/integrations/gotify) on a real server: JSON,
// form, multipart (real curl -F, as Gotify's docs push) and query bodies, the
// application token in each of Gotify's places, the priority table, extras, the
// configured topic, the answer Gotify gives, and every refusal storing nothing.
// No Gotify server runs here: requests and answers come from Gotify's tests, docs
// and model (test/fixtures/gotify/).

import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { TopicFilter } from '../server/protocol/topics.ts';
import { gotifyPlugin } from '../server/integrations/gotify/index.ts';
import { configProblems } from '../server/config/load-config.ts';
import { rawRequest, startTestServer, type TestServer } from './support/herald-test-server.ts';
import { curl } from './support/ntfy-client.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'AppToken.gotify-1';
const fixture = JSON.parse(readFileSync(new URL('./fixtures/gotify/create-message.json', import.meta.url), 'utf8'));

async function start(options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ plugins: [gotifyPlugin()], token: TOKEN, ...options });
  return server;
}

function post(path: string, body: string | Buffer, headers: Record<string, string | number> = {}) {
  return rawRequest(`${server!.url}${path}`, { method: 'POST', headers, body });
}
const json = (body: unknown, headers: Record<string, string> = {}) =>
  post(`/message?token=${TOKEN}`, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });

async function stored(topic = 'gotify'): Promise<Record<string, unknown>[]> {
  return (await server!.server.log.readAfter(null, TopicFilter.parse(topic), 100)).map((e) => e.data as unknown as Record<string, unknown>);
}

const base = { topic: 'gotify', time: expect.any(Number), tags: [] };

describe('POST /message', () => {
  it("answers as Gotify does: 200 with id, appid, message, title, priority and date, in Gotify's order", async () => {
    await start();
    const answer = await json(fixture.json);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: expect.any(Number), appid: 1, message: 'mymessage', title: 'mytitle', priority: 1, date: expect.any(String) });
    expect(Object.keys(answer.body)).toEqual(fixture.jsonAnswerKeys);
    const [event] = await server!.server.log.readAfter(null, TopicFilter.parse('gotify'), 1);
    expect(answer.body.id).toBe(Number(event!.id));
    expect(new Date(answer.body.date).getTime()).toBe(event!.data.time);
    expect(await stored()).toEqual([{ ...base, body: 'mymessage', title: 'mytitle', priority: 2 }]);
  });

  it('takes a form body, the query, and multipart as curl -F sends it (the docs\' example)', async () => {
    await start();
    expect((await post(`/message?token=${TOKEN}`, fixture.form, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await post(`/message?token=${TOKEN}&${fixture.query}`, '', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    // gotify.net docs, "Push messages": curl "https://push.example.de/message?token=<apptoken>" -F "title=my title" -F "message=my message" -F "priority=5"
    const answer = JSON.parse(await curl([`${server!.url}/message?token=${TOKEN}`, '-F', 'title=my title', '-F', 'message=my message', '-F', 'priority=5']));
    expect(answer).toMatchObject({ appid: 1, message: 'my message', title: 'my title', priority: 5 });
    // gotify.net docs, "Message Priority": the token in X-Gotify-Key.
    await curl(['-H', `X-Gotify-Key: ${TOKEN}`, `${server!.url}/message`, '-F', 'message=my message', '-F', 'priority=8']);
    expect(await stored()).toEqual([
      { ...base, body: 'mymessage', title: 'mytitle', priority: 2 },
      { ...base, body: 'mymessage', title: 'mytitle', priority: 2 },
      { ...base, body: 'my message', title: 'my title', priority: 3 },
      { ...base, body: 'my message', priority: 4 },
    ]);
  });

  it("maps Gotify's priorities onto Herald's 1-5", async () => {
    await start();
    const gotify = [0, 1, 3, 4, 7, 8, 9, 10, 15, -2];
    for (const priority of gotify) await json({ message: `p${priority}`, priority });
    await json({ message: 'none' });
    const answer = await json({ message: 'none again', title: null, priority: null, extras: null });
    expect(answer.body.priority).toBe(5);
    expect((await stored()).map((d) => [d.body, d.priority])).toEqual([
      ['p0', 1], ['p1', 2], ['p3', 2], ['p4', 3], ['p7', 3], ['p8', 4], ['p9', 4], ['p10', 5], ['p15', 5], ['p-2', 1], ['none', 3], ['none again', 3],
    ]);
  });

  it('turns the click extra into the click URL and the Markdown display into the markdown flag, and answers every extra back', async () => {
    await start();
    const answer = await json(fixture.clickAndMarkdown);
    expect(answer.body.extras).toEqual(fixture.clickAndMarkdown.extras);
    const other = await json(fixture.withExtras);
    expect(other.body.extras).toEqual(fixture.withExtras.extras);
    expect(await stored()).toEqual([
      { ...base, body: '**Backup** was successfully finished.', title: 'Backup', priority: 2, click: 'https://gotify.net', markdown: true },
      { ...base, body: 'mymessage', title: 'msg with extras', priority: 3 },
    ]);
  });

  it("takes what Uptime Kuma's Gotify notifier sends", async () => {
    await start();
    const { request } = JSON.parse(readFileSync(new URL('./fixtures/gotify/uptime-kuma.json', import.meta.url), 'utf8'));
    const answer = await post(`/message?token=${TOKEN}`, JSON.stringify(request), { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(await stored()).toEqual([{ ...base, body: request.message, title: 'Uptime-Kuma', priority: 4 }]);
  });

  it('publishes to the configured topic (integrations.gotify.topic), which the config schema checks', async () => {
    await start({ config: { integrations: { gotify: { topic: 'home/gotify' } } } });
    await json({ message: 'to the configured topic' });
    expect(await stored('home/gotify')).toEqual([{ ...base, topic: 'home/gotify', body: 'to the configured topic', priority: 3 }]);
    expect(configProblems({ integrations: { gotify: { topic: 'a b' } } })).toEqual([
      'integrations.gotify.topic: expected a topic: names of letters, digits, "_", "." or "-" joined by "/", got "a b"',
    ]);
    expect(configProblems({ integrations: { gotify: { topic: 'a/../b' } } })).toEqual([
      'integrations.gotify.topic: expected a topic of [A-Za-z0-9_.-] segments joined by "/", got "a/../b"',
    ]);
    expect(configProblems({ integrations: { gotfy: {} } })).toEqual([expect.stringMatching(/^integrations\.gotfy: unknown key; did you mean "gotify"\?/)]);
  });
});

describe('the application token', () => {
  it("is taken from ?token=, X-Gotify-Key, Bearer or Basic, and a wrong or missing one is 401", async () => {
    await start();
    const body = JSON.stringify({ message: 'm' });
    const type = { 'Content-Type': 'application/json' };
    const answers = [
      await post(`/message?token=${TOKEN}`, body, type),
      await post('/message', body, { ...type, 'X-Gotify-Key': TOKEN }),
      await post('/message', body, { ...type, Authorization: `Bearer ${TOKEN}` }),
      await post('/message', body, { ...type, Authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }),
      await post('/message?token=wrong', body, type),
      await post('/message', body, { ...type, 'X-Gotify-Key': 'wrong' }),
      await post('/message', body, type),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 401, 401, 401]);
    expect(answers[4]!.body).toEqual({ error: "the token does not match this server's token (sent as ?token=)", code: 'unauthorized' });
    expect(answers[5]!.body).toEqual({ error: "the token does not match this server's token (sent as X-Gotify-Key)", code: 'unauthorized' });
    expect((await stored()).length).toBe(4);
  });
});

describe('refusals', () => {
  it.each<[string, string, string, Record<string, string>, number, string, RegExp]>([
    ['a priority that is not a number (JSON)', '', JSON.stringify(fixture.priorityNotNumber), { 'Content-Type': 'application/json' }, 400, 'bad_request', /expected "priority" to be a whole number \(0 to 10\), got "asd"/],
    ['a priority that is not a number (form)', '', 'message=m&priority=high', { 'Content-Type': 'application/x-www-form-urlencoded' }, 400, 'bad_request', /expected "priority" to be a whole number/],
    ['a fractional priority', '', '{"message": "m", "priority": 2.5}', { 'Content-Type': 'application/json' }, 400, 'bad_request', /got 2\.5/],
    ['no message', '', JSON.stringify(fixture.noMessage), { 'Content-Type': 'application/json' }, 400, 'bad_request', /expected a Gotify message .* with a "message", got none/],
    ['no message (form)', '', 'title=t', { 'Content-Type': 'application/x-www-form-urlencoded' }, 400, 'bad_request', /with a "message", got none/],
    ['invalid JSON', '', '{"message": ', { 'Content-Type': 'application/json' }, 400, 'bad_json', /got invalid JSON/],
    ['extras that are not an object', '', '{"message": "m", "extras": [1]}', { 'Content-Type': 'application/json' }, 400, 'bad_request', /expected "extras" to be an object, got an array of 1/],
    ['a click extra that is not a URL', '', '{"message": "m", "extras": {"client::notification": {"click": {"url": "javascript:x"}}}}', { 'Content-Type': 'application/json' }, 400, 'bad_request', /expected "click" to be an http or https URL/],
    ['a text body', '', 'message=m', { 'Content-Type': 'text/plain' }, 415, 'unsupported_media_type', /a body of type application\/json, application\/x-www-form-urlencoded or multipart\/form-data, got text\/plain/],
    ['a broken multipart body', '', '--x\r\nnonsense', { 'Content-Type': 'multipart/form-data; boundary=x' }, 400, 'bad_request', /a multipart body that does not parse/],
  ])('refuses %s, storing nothing', async (_name, query, body, headers, status, code, message) => {
    await start();
    const answer = await post(`/message?token=${TOKEN}${query}`, body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: expect.stringMatching(message), code });
    expect(await server!.server.log.lastId()).toBeNull();
  });

  it('refuses a body or a message over the limit with 413', async () => {
    await start({ maxBodyBytes: 100 });
    const overall = await json({ message: 'x'.repeat(250) });
    expect(overall.body).toEqual({ error: 'expected a body of at most 200 bytes, got 264 bytes', code: 'too_large' });
    const message = await json({ message: 'x'.repeat(150) });
    expect(message.body).toEqual({ error: 'expected a "message" of at most 100 bytes, got 150', code: 'too_large' });
    expect(await server!.server.log.lastId()).toBeNull();
  });

  it('applies the publish rate limit', async () => {
    await start({ rateLimit: { perSec: 1, burst: 1, includeLoopback: true } });
    expect((await json({ message: 'a' })).status).toBe(200);
    const limited = await json({ message: 'b' });
    expect([limited.status, limited.body.code]).toEqual([429, 'rate_limited']);
    expect((await stored()).length).toBe(1);
  });
});
