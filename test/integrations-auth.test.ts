// Every route takes the token in every form server/http/credentials.ts reads (Bearer,
// Basic with the token as password, ntfy's ?auth=, Gotify's ?token= and
// X-Gotify-Key): Herald's own publish, stream and topics routes as much as the ntfy
// and Gotify ones. A wrong token is 401 in every form, and every failure counts
// against the address alike.

import { afterEach, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { gotifyPlugin } from '../server/integrations/gotify/index.ts';
import { rawRequest, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';

const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Form = { name: string; query: string; headers: Record<string, string> };
const forms = (token: string): Form[] => [
  { name: 'Bearer', query: '', headers: { Authorization: `Bearer ${token}` } },
  { name: 'Basic with the token as password', query: '', headers: { Authorization: `Basic ${Buffer.from(`testuser:${token}`).toString('base64')}` } },
  { name: 'Basic with an empty user', query: '', headers: { Authorization: `Basic ${Buffer.from(`:${token}`).toString('base64')}` } },
  { name: '?auth= holding Bearer', query: `auth=${Buffer.from(`Bearer ${token}`).toString('base64url')}`, headers: {} },
  { name: '?auth= holding Basic', query: `auth=${Buffer.from(`Basic ${Buffer.from(`u:${token}`).toString('base64')}`).toString('base64url')}`, headers: {} },
  { name: '?token=', query: `token=${encodeURIComponent(token)}`, headers: {} },
  { name: 'X-Gotify-Key', query: '', headers: { 'X-Gotify-Key': token } },
];

/** One request per kind of route; the status it answers. */
async function tryRoutes(form: Form): Promise<Record<string, number>> {
  const url = (path: string) => `${server!.url}${path}${path.includes('?') ? '&' : '?'}${form.query}`;
  const text = { 'Content-Type': 'text/plain', ...form.headers };
  const statuses: Record<string, number> = {};
  statuses['POST /topics/a'] = (await rawRequest(url('/topics/a'), { method: 'POST', headers: text, body: 'x' })).status;
  statuses['GET /topics'] = (await rawRequest(url('/topics'), { headers: form.headers })).status;
  statuses['POST /a (ntfy)'] = (await rawRequest(url('/a'), { method: 'POST', headers: form.headers, body: 'x' })).status;
  statuses['GET /a/json?poll=1'] = (await rawRequest(url('/a/json?poll=1'), { headers: form.headers })).status;
  statuses['POST /message'] = (await rawRequest(url('/message'), { method: 'POST', headers: { ...form.headers, 'Content-Type': 'application/json' }, body: '{"message":"x"}' })).status;
  return statuses;
}

describe('credential forms', () => {
  it('are taken by every route, Herald\'s and the integrations\'', async () => {
    server = await startTestServer({ token: TOKEN, plugins: [ntfyPlugin(), gotifyPlugin()] });
    for (const form of forms(TOKEN)) {
      expect({ form: form.name, statuses: await tryRoutes(form) }).toEqual({
        form: form.name,
        statuses: { 'POST /topics/a': 201, 'GET /topics': 200, 'POST /a (ntfy)': 200, 'GET /a/json?poll=1': 200, 'POST /message': 200 },
      });
    }
  });

  it('with a wrong token are 401 on every route, and count against the address whatever the form', async () => {
    server = await startTestServer({ token: TOKEN, plugins: [ntfyPlugin(), gotifyPlugin()], authFailures: { freeFailures: 1000 } });
    for (const form of forms('not-the-token')) {
      expect({ form: form.name, statuses: await tryRoutes(form) }).toEqual({
        form: form.name,
        statuses: { 'POST /topics/a': 401, 'GET /topics': 401, 'POST /a (ntfy)': 401, 'GET /a/json?poll=1': 401, 'POST /message': 401 },
      });
    }
    expect(await server.server.log.lastId()).toBeNull();
  });

  it('slow down guessing in any mix of forms (429 once the free failures are used)', async () => {
    server = await startTestServer({ token: TOKEN, plugins: [ntfyPlugin()], authFailures: { freeFailures: 3, firstDelayMs: 60_000 } });
    const wrong = forms('guess');
    const statuses = [];
    for (const form of [wrong[0]!, wrong[3]!, wrong[5]!, wrong[6]!, forms(TOKEN)[0]!]) {
      statuses.push((await rawRequest(`${server.url}/a?${form.query}`, { method: 'POST', headers: form.headers, body: 'x' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it("let a plain EventSource, which cannot set headers, subscribe to Herald's own stream with ?auth=", async () => {
    server = await startTestServer({ token: TOKEN });
    const auth = Buffer.from(`Bearer ${TOKEN}`).toString('base64url');
    const es = new EventSource(`${server.url}/events?topics=a&auth=${auth}`);
    const got: string[] = [];
    es.addEventListener('notify', (event) => got.push(JSON.parse(event.data).body));
    try {
      await waitUntil(() => server!.server.hub.size === 1, () => 'not subscribed');
      await server.publish('a', 'hello', { Authorization: `Bearer ${TOKEN}` });
      await waitUntil(() => got.length === 1, () => 'no event');
      expect(got).toEqual(['hello']);
    } finally {
      es.close();
    }
  });
});
