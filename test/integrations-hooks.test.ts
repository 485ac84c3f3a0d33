// Generic webhooks (the config file's `hooks`) on a real server: templates over
// the JSON received, alerts published on a change of level only, the two ways a
// secret is checked, and what is refused. The `kuma` bodies have the shape Uptime
// Kuma's webhook notification posts ({heartbeat, monitor, msg}: its
// server/notification-providers/webhook.js), heartbeat.status 0 down and 1 up.

import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../server/integrations/index.ts';
import type { HeraldConfig } from '../server/config/config-types.ts';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { configProblems } from '../server/config/load-config.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';
import { postHook, storedEvents } from './support/webhooks.ts';

const TOKEN = 'hooks-test-token-99';
const CONFIG: HeraldConfig = {
  hooks: {
    kuma: {
      topic: 'uptime/{{ monitor.name }}',
      title: '{{ monitor.name }}',
      body: '{{ heartbeat.msg }}',
      level: { from: '{{ heartbeat.status }}', map: { '0': 'critical', '1': 'ok' }, default: 'warn' },
      click: '{{ monitor.url }}',
      secret: 'kuma-shared-secret',
      secretHeader: 'X-Herald-Secret',
    },
    ci: {
      topic: 'ci/{{ /project/path_with_namespace }}',
      title: 'Build {{ build.status }}: {{ project.name }}',
      body: '{{ commit.message }}',
      priority: { from: '{{ build.status }}', map: { failed: 'high', success: 'low' }, default: 3 },
      tags: 'ci, {{ build.status }}',
      click: '{{ build.url }}',
      secret: 'ci-hmac-secret',
      signatureHeader: 'X-Signature',
    },
    note: { topic: 'notes', body: '{{ text }}' },
  },
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<HeraldServerOptions> = {}, config = CONFIG): Promise<TestServer> {
  server = await startTestServer({ plugins: [integrationsPlugin({ config })], ...options });
  return server;
}

const kuma = (status: number, msg: string) => ({
  heartbeat: { monitorID: 3, status, time: '2026-01-05 10:00:00.000', msg, ping: null, important: true, duration: 60 },
  monitor: { id: 3, name: 'Home page', url: 'https://example.org/', type: 'http', interval: 60 },
  msg: `[Home page] [${status === 0 ? '🔴 Down' : '✅ Up'}] ${msg}`,
});
const asKuma = (s: TestServer, body: object, secret = 'kuma-shared-secret') => postHook(s.url, '/hooks/kuma', body, { 'X-Herald-Secret': secret });

function signed(body: object, secret = 'ci-hmac-secret') {
  const raw = Buffer.from(JSON.stringify(body));
  return { raw, headers: { 'X-Signature': createHmac('sha256', secret).update(raw).digest('hex') } };
}
const build = (status: string) => ({
  project: { name: 'Widget', path_with_namespace: 'acme/widget' },
  build: { status, url: 'https://ci.example/acme/widget/builds/41' },
  commit: { message: 'Fix the frobnicator' },
});

describe('a hook with a level publishes alerts on a change of level', () => {
  it('down, down again (nothing new), up; ok for a topic that never alerted is not news', async () => {
    const s = await start();
    expect((await asKuma(s, kuma(1, '200 - OK'))).body).toEqual({ topic: 'uptime/Home-page', changed: false, level: 'ok' });
    const down = await asKuma(s, kuma(0, 'timeout of 48000ms exceeded'));
    expect(down).toMatchObject({ status: 201, body: { topic: 'uptime/Home-page' } });
    expect((await asKuma(s, kuma(0, 'still timing out'))).body).toMatchObject({ changed: false, level: 'critical' });
    expect((await asKuma(s, kuma(1, '200 - OK'))).status).toBe(201);
    expect((await storedEvents(s.server)).map((e) => e.data)).toMatchObject([
      { topic: 'uptime/Home-page', level: 'critical', previous: 'ok', message: 'Home page: timeout of 48000ms exceeded', click: 'https://example.org/' },
      { level: 'ok', previous: 'critical', message: 'Home page: 200 - OK' },
    ]);
  });

  it('a value the map does not know takes the default (a pending monitor is a warning)', async () => {
    const s = await start();
    expect((await asKuma(s, kuma(2, 'pending'))).status).toBe(201);
    expect((await storedEvents(s.server))[0]!.data).toMatchObject({ level: 'warn' });
  });
});

describe('a hook without a level publishes notifications', () => {
  it('renders every field, maps the priority, and takes an HMAC signature in the configured header', async () => {
    const s = await start();
    const { raw, headers } = signed(build('failed'));
    expect((await postHook(s.url, '/hooks/ci', raw, headers)).status).toBe(201);
    const passed = signed(build('success'));
    expect((await postHook(s.url, '/hooks/ci', passed.raw, { 'X-Signature': `sha256=${passed.headers['X-Signature']}` })).status).toBe(201);
    expect((await storedEvents(s.server)).map((e) => [e.type, e.data])).toEqual([
      ['notify', { topic: 'ci/acme-widget', time: expect.any(Number), title: 'Build failed: Widget', body: 'Fix the frobnicator', priority: 4, tags: ['ci', 'failed'], click: 'https://ci.example/acme/widget/builds/41' }],
      ['notify', expect.objectContaining({ priority: 2, tags: ['ci', 'success'] })],
    ]);
  });

  it("a hook with no secret takes Herald's token, like any publish", async () => {
    const s = await start({ token: TOKEN });
    expect((await postHook(s.url, '/hooks/note', { text: 'hello' })).status).toBe(401);
    expect((await postHook(s.url, '/hooks/note', { text: 'hello' }, { Authorization: `Bearer ${TOKEN}` })).status).toBe(201);
    // curl -d without a Content-Type sends a form; its fields are the document.
    const form = await postHook(s.url, '/hooks/note', 'text=from+a+form', { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(201);
    expect((await storedEvents(s.server)).map((e) => e.data)).toMatchObject([{ topic: 'notes', body: 'hello' }, { body: 'from a form' }]);
  });
});

describe('what hooks refuse, storing nothing', () => {
  it('a wrong or missing secret or signature: 401', async () => {
    const s = await start({ token: TOKEN });
    const { raw, headers } = signed(build('failed'), 'not-the-secret');
    const answers = [
      await asKuma(s, kuma(0, 'down'), 'wrong-secret'),
      await postHook(s.url, '/hooks/kuma', kuma(0, 'down')),
      // Herald's token does not replace a hook's secret.
      await postHook(s.url, '/hooks/kuma', kuma(0, 'down'), { Authorization: `Bearer ${TOKEN}` }),
      await postHook(s.url, '/hooks/ci', raw, headers),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(answers[1]!.body.error).toBe("expected the webhook's secret in the X-Herald-Secret header, got no such header");
    expect(await storedEvents(s.server)).toEqual([]);
  });

  it('a body without what the topic needs, a level it cannot map, nothing to say: 400 naming the field', async () => {
    const s = await start({}, {
      hooks: {
        ...CONFIG.hooks,
        strict: { topic: 'x', body: '{{ text }}', level: '{{ state }}' },
        empty: { topic: 'x', title: '{{ title }}', body: '{{ body }}' },
        link: { topic: 'x', body: 'b', click: '{{ url }}' },
      },
    });
    const answers = [
      await asKuma(s, { heartbeat: { status: 0 }, msg: 'no monitor' }),
      await postHook(s.url, '/hooks/strict', { text: 'x', state: 'down' }),
      await postHook(s.url, '/hooks/empty', { other: 1 }),
      await postHook(s.url, '/hooks/link', { url: 'javascript:alert(1)' }),
      await postHook(s.url, '/hooks/note', '[1, 2]'),
      await postHook(s.url, '/hooks/nope', {}),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [400, 'webhook "kuma": expected the body to have "monitor.name" for the topic template "uptime/{{ monitor.name }}", got none'],
      [400, 'webhook "strict": expected the level to be one of ok, warn, critical, got "down" from "{{ state }}"; map the values with {"from": ..., "map": {...}, "default": ...}'],
      [400, 'webhook "empty": expected the title or body template to give some text, got both empty for this body'],
      [400, 'webhook "link": expected "click" to be an http or https URL, got a javascript: URL'],
      [400, 'expected a JSON object, got an array of 2'],
      [404, 'expected the name of a webhook in the config file\'s "hooks", got "nope"'],
    ]);
    expect(await storedEvents(s.server)).toEqual([]);
  });

  it('a body over the limit: 413; another media type: 415; past the rate limit: 429', async () => {
    const s = await start({ maxHookBodyBytes: 1024, rateLimit: { perSec: 0.01, burst: 2, includeLoopback: true } });
    const big = await postHook(s.url, '/hooks/note', { text: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    const xml = await postHook(s.url, '/hooks/note', '<text/>', { 'Content-Type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect((await postHook(s.url, '/hooks/note', { text: 'third' })).status).toBe(429);
  });
});

describe('the config file checks hooks before the server starts', () => {
  it('templates that do not parse, topics that cannot be topics, levels and priorities out of range, reserved names, half-set secrets', () => {
    expect(configProblems({
      hooks: {
        github: { topic: 'x' },
        bad: { topic: 'a b/{{ x }}', title: '{{ unclosed', level: { from: '{{ s }}', map: { down: 'red' }, default: 'ok' }, priority: 'urgent!' },
        half: { topic: 't', signatureHeader: 'X-Sig' },
        both: { topic: 't', secret: 's', signatureHeader: 'X-Sig', secretHeader: 'X-Secret' },
        lacking: { title: 'no topic' },
      },
      integrations: { alertmanager: { topic: 'alerts/{{ labels.alertname' } },
    })).toEqual([
      'hooks.lacking.topic: expected a string, got nothing',
      'hooks.github: the name "github" is taken by the built-in /hooks/github; configure it in "integrations.github", or pick another name',
      'hooks.bad.title: expected "}}" to close the "{{" at character 1, got the end of the template',
      'hooks.bad.topic: expected a topic template, e.g. "uptime/{{ monitor.name }}"; with values in place it reads "a b/x": expected a topic of [A-Za-z0-9_.-] segments joined by "/", got "a b/x"',
      'hooks.bad.priority: expected a priority of 1 to 5 or min, low, default, high, max, urgent; got "urgent!"',
      'hooks.bad.level.map["down"]: expected one of ok, warn, critical, got "red"',
      'hooks.half.signatureHeader: only applies with a "secret"',
      'hooks.both: expected one of "signatureHeader" (the sender signs the body) or "secretHeader" (it sends the secret itself), got both',
      'integrations.alertmanager.topic: expected "}}" to close the "{{" at character 8, got the end of the template',
    ]);
    expect(configProblems(CONFIG)).toEqual([]);
  });
});
