// Named, scoped tokens against a real server (SQLite in a temp dir, a real job): the
// tokens made by the real `herald token` command, streams read by the real eventsource
// client or node:http, and a property test over random scopes, subscriptions and
// topics. Over Redis, with two instances: test/redis-tokens.test.ts.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../main/cli/cli.ts';
import type { CliIO } from '../main/cli/command.ts';
import { compilePattern } from '../server/protocol/topics.ts';
import { sourcesPlugin } from '../server/sources/index.ts';
import { gotifyPlugin } from '../server/integrations/gotify/index.ts';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { runHerald } from './support/herald-cli.ts';
import { openEventSource, openRawStream, rawRequest, startTestServer, waitUntil, type EventSourceClient, type RawStream, type TestServer } from './support/herald-test-server.ts';

const SERVER_TOKEN = 'the-servers-own-token';
const asServer = { Authorization: `Bearer ${SERVER_TOKEN}` };
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

let server: TestServer | undefined;
let logLines: string[] = [];
const streams: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.close();
  server = undefined;
  logLines = [];
});

async function start(options: { token?: string | undefined } = { token: SERVER_TOKEN }): Promise<TestServer> {
  server = await startTestServer({
    ...options,
    logLine: (line) => logLines.push(line),
    plugins: [sourcesPlugin({ config: { system: { enabled: false }, jobs: { hello: { command: 'echo hello' } } }, jobUpdateEveryMs: 0 }), ntfyPlugin(), gotifyPlugin()],
  });
  return server;
}

/** `herald token ...` in this process, on the test server's data dir. */
async function herald(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  const code = await main(['token', ...args, '--data-dir', server!.dataDir], io);
  return { code, out, err };
}

async function addToken(name: string, ...flags: string[]): Promise<string> {
  const result = await herald('add', name, ...flags);
  expect(result, result.err.join('\n')).toMatchObject({ code: 0 });
  return result.out[0]!;
}

async function publish(topic: string, headers: Record<string, string> = asServer, body = `to ${topic}`) {
  return rawRequest(`${server!.url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body });
}

function eventSource(query: string, secret: string): EventSourceClient {
  const client = openEventSource(`${server!.url}/events?${query}`, bearer(secret));
  streams.push(client);
  return client;
}

async function rawStream(query: string, headers: Record<string, string>): Promise<RawStream> {
  const stream = await openRawStream(`${server!.url}/events?${query}`, headers);
  streams.push(stream);
  return stream;
}

const topicsOf = (client: EventSourceClient) => client.events.map((e) => e.data.topic as string);

describe('scoped tokens on a real server', () => {
  it('a publish-only token publishes inside its scope and can neither subscribe, publish elsewhere nor run jobs', async () => {
    await start();
    const secret = await addToken('ci-pub', '--publish', 'ci/**');
    expect(secret).toMatch(/^hld_[A-Za-z0-9_-]{43}$/);

    expect((await publish('ci/build', bearer(secret))).status).toBe(201);
    const elsewhere = await publish('deploy/x', bearer(secret));
    expect(elsewhere).toMatchObject({ status: 403, body: { code: 'forbidden', error: 'the token "ci-pub" may not publish to "deploy/x"' } });

    const subscribe = await rawRequest(`${server!.url}/events?topics=ci/build`, { headers: bearer(secret) });
    expect(subscribe.status).toBe(403);
    expect(subscribe.body.error).toContain('"ci/build"');

    const run = await rawRequest(`${server!.url}/jobs/hello/runs`, { method: 'POST', headers: bearer(secret) });
    expect(run).toMatchObject({ status: 403, body: { error: 'the token "ci-pub" may not start or cancel the job "hello"' } });
    expect((await rawRequest(`${server!.url}/jobs/hello/runs/1`, { method: 'DELETE', headers: bearer(secret) })).status).toBe(403);
    // It reads nothing: the topic list and the job list are empty for it, not refused.
    expect(await rawRequest(`${server!.url}/topics`, { headers: bearer(secret) })).toMatchObject({ status: 200, body: [] });
    expect(await rawRequest(`${server!.url}/jobs`, { headers: bearer(secret) })).toMatchObject({ status: 200, body: [] });
    // The server's own token still does everything.
    expect((await rawRequest(`${server!.url}/jobs/hello/runs`, { method: 'POST', headers: asServer })).status).toBe(201);

    // The audit trail: one line per refusal, naming the token and never its secret.
    expect(logLines).toContainEqual(expect.stringMatching(/^herald: refused POST \/topics\/deploy\/x from 127\.0\.0\.1 \(token "ci-pub"\): 403 /));
    expect(logLines.filter((l) => l.includes('(token "ci-pub")'))).toHaveLength(4);
    expect(logLines.join('\n')).not.toContain(secret);
  });

  it('a subscribe token for ci/** never receives deploy/x, even through **, live or replayed', async () => {
    await start();
    const secret = await addToken('ci-read', '--subscribe', 'ci/**');
    const live = eventSource('topics=**', secret);
    await waitUntil(() => live.opens === 1, () => 'the stream did not open');
    for (const topic of ['ci/a', 'deploy/x', 'ci/b/c', 'deploy/ci', 'ci', 'x/ci/a']) expect((await publish(topic)).status).toBe(201);
    expect((await publish('ci/done')).status).toBe(201);
    await waitUntil(() => topicsOf(live).includes('ci/done'), () => `ci/done never came: ${topicsOf(live).join(' ')}`);
    expect(topicsOf(live)).toEqual(['ci/a', 'ci/b/c', 'ci/done']);

    // The replay path is narrowed the same way, with a pattern that overlaps the scope in one topic.
    const replay = eventSource('topics=**,*/x&since=all', secret);
    await waitUntil(() => topicsOf(replay).includes('ci/done'), () => `the replay never reached ci/done: ${topicsOf(replay).join(' ')}`);
    expect(topicsOf(replay)).toEqual(['ci/a', 'ci/b/c', 'ci/done']);

    // A topic or pattern with nothing in the scope is refused, naming it.
    const outside = await rawRequest(`${server!.url}/events?topics=ci/a,deploy/**`, { headers: bearer(secret) });
    expect(outside).toMatchObject({ status: 403, body: { error: 'the token "ci-read" may not read "deploy/**" (nothing there is in its subscribe scope)' } });
    const topics = await rawRequest(`${server!.url}/topics`, { headers: bearer(secret) });
    expect((topics.body as Array<{ topic: string }>).map((t) => t.topic).sort()).toEqual(['ci/a', 'ci/b/c', 'ci/done']);
    expect((await publish('ci/a', bearer(secret))).status).toBe(403);
  });

  it('a token made by `herald token add` works at once, and `herald token revoke` closes its open stream within 2 s', async () => {
    await start();
    const added = await runHerald(['token', 'add', 'watcher', '--subscribe', '**', '--data-dir', server!.dataDir]);
    expect(added.code, added.stderr).toBe(0);
    const secret = added.stdout.trim();
    const stream = await rawStream('topics=**', bearer(secret));
    expect(stream.status).toBe(200);
    expect((await publish('any/topic')).status).toBe(201);
    await stream.waitFor(1);

    const revoked = await runHerald(['token', 'revoke', 'watcher', '--data-dir', server!.dataDir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const closed = await Promise.race([stream.ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000))]);
    expect(closed, 'the revoked token\'s stream was still open 2 s after the revoke').toBe(true);

    const after = await rawRequest(`${server!.url}/topics`, { headers: bearer(secret) });
    expect(after).toMatchObject({ status: 401, body: { error: 'the token has been revoked; ask for a new one' } });
    expect(after.text).not.toContain('watcher');
    const unknown = await rawRequest(`${server!.url}/topics`, { headers: bearer(`hld_${'A'.repeat(43)}`) });
    expect(unknown).toMatchObject({ status: 401, body: { error: "the token does not match this server's token" } });
    expect(logLines).toContainEqual(expect.stringMatching(/^herald: refused GET \/topics from 127\.0\.0\.1 \(token "watcher"\): 401 the token has been revoked/));

    const list = (await herald('list')).out.join('\n');
    expect(list).toMatch(/^watcher +revoked \S+ \S+ +subscribe:\*\* .* from 127\.0\.0\.1/m);
    expect(list).not.toContain(secret);
  }, 60_000);

  it('an expired token is refused as expired, and its open stream is closed', async () => {
    await start();
    const secret = await addToken('short', '--subscribe', '**', '--expires', '2s');
    const stream = await rawStream('topics=**', bearer(secret));
    expect(stream.status).toBe(200);
    // A safety bound: the expiry (2 s) plus the 2 s a server has to close what the token holds.
    const closed = await Promise.race([stream.ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 4500))]);
    expect(closed, 'the expired token\'s stream was still open').toBe(true);
    expect(await rawRequest(`${server!.url}/topics`, { headers: bearer(secret) })).toMatchObject({ status: 401, body: { error: 'the token has expired; ask for a new one' } });
    expect((await herald('list')).out.join('\n')).toMatch(/^short +expired /m);
  });

  it('a token with a rate limit of its own gets 429 past it, on loopback too', async () => {
    await start();
    const secret = await addToken('slow', '--publish', '**', '--rate-limit', '1');
    expect((await publish('a', bearer(secret))).status).toBe(201);
    const second = await publish('a', bearer(secret), 'again');
    expect(second).toMatchObject({ status: 429, body: { error: expect.stringContaining('requests a second with the token "slow"') } });
    expect(second.headers['retry-after']).toBeDefined();
    expect((await publish('a', asServer, 'the server token is not limited')).status).toBe(201);
  });

  it('ntfy and Gotify clients send a named token their way, and get its scopes; Gotify messages go to its default topic', async () => {
    await start();
    const secret = await addToken('nas', '--publish', 'nas/**,nas-alerts', '--topic', 'nas/backup');
    const basic = `Basic ${Buffer.from(`anyone:${secret}`).toString('base64')}`;
    const ntfy = (topic: string, headers: Record<string, string>) => rawRequest(`${server!.url}/${topic}`, { method: 'POST', headers, body: 'disk ok' });
    expect((await ntfy('nas-alerts', { Authorization: basic })).status).toBe(200);
    expect(await ntfy('other', { Authorization: basic })).toMatchObject({ status: 403, body: { error: 'the token "nas" may not publish to "other"' } });
    const auth = Buffer.from(`Bearer ${secret}`).toString('base64url');
    expect((await rawRequest(`${server!.url}/other?auth=${auth}`, { method: 'POST', body: 'x' })).status).toBe(403);

    const gotify = await rawRequest(`${server!.url}/message`, { method: 'POST', headers: { 'X-Gotify-Key': secret, 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'backup done' }) });
    expect(gotify.status).toBe(200);
    const topics = await rawRequest(`${server!.url}/topics`, { headers: asServer });
    expect((topics.body as Array<{ topic: string }>).map((t) => t.topic).sort()).toEqual(['nas-alerts', 'nas/backup']);
    // Revoked (the server notices within 2 s), every form is refused alike.
    expect((await herald('revoke', 'nas')).code).toBe(0);
    const deadline = Date.now() + 2000;
    let refused = await ntfy('nas-alerts', { Authorization: basic });
    while (refused.status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await ntfy('nas-alerts', { Authorization: basic });
    }
    expect(refused).toMatchObject({ status: 401, body: { error: 'the token has been revoked; ask for a new one' } });
    expect((await rawRequest(`${server!.url}/message?token=${secret}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message":"x"}' })).body).toMatchObject({
      error: 'the token has been revoked; ask for a new one (sent as ?token=)',
    });
  });

  it('a loopback server without --token is open until a named token exists; then it asks for one', async () => {
    await start({ token: undefined });
    expect((await publish('open/topic', {})).status).toBe(201);
    const secret = await addToken('admin-one', '--admin');
    // The server notices the new token on its next look at the store (every second).
    const deadline = Date.now() + 2000;
    let status = 0;
    while ((status = (await publish('open/topic', {}, 'now closed')).status) !== 401 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe(401);
    expect((await publish('open/topic', bearer(secret), 'with the admin token')).status).toBe(201);
    expect((await rawRequest(`${server!.url}/jobs/hello/runs`, { method: 'POST', headers: bearer(secret) })).status).toBe(201);
  });
});

/** Every topic of 1 to 4 segments over a, b and x. */
const TOPICS: string[] = (() => {
  const out: string[] = [];
  let level = [''];
  for (let length = 1; length <= 4; length++) {
    level = level.flatMap((prefix) => ['a', 'b', 'x'].map((s) => (prefix ? `${prefix}/${s}` : s)));
    out.push(...level);
  }
  return out;
})();

const pattern = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 0, maxLength: 3 }), fc.boolean())
  .filter(([fixed, deep]) => fixed.length > 0 || deep)
  .map(([fixed, deep]) => (deep ? [...fixed, '**'] : fixed).join('/'));

const matchesAny = (patterns: readonly string[], topic: string) => patterns.some((p) => compilePattern(p).matches(topic));

describe('delivery follows the scope (property, real server)', () => {
  it('for random scopes, subscriptions and topics, an event arrives exactly when both the subscription and the scope take its topic', async () => {
    await start();
    let run = 0;
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(pattern, { minLength: 1, maxLength: 3 }),
        fc.array(pattern, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom(...TOPICS), { minLength: 1, maxLength: 10 }),
        async (scope, wanted, published) => {
          run++;
          // What the subscription asks for, less what has no topic in the scope (that is
          // refused with 403, checked above), plus a marker both take: it comes last.
          const marker = `zz/m${run}`;
          const requested = [...new Set(wanted.filter((p) => TOPICS.some((t) => compilePattern(p).matches(t) && matchesAny(scope, t)))), marker];
          const secret = await addToken(`p${run}`, '--subscribe', [...scope, 'zz/**'].join(','));
          const client = eventSource(`topics=${requested.join(',')}`, secret);
          await waitUntil(() => client.opens === 1 || client.errors > 0, () => 'the stream did not open');
          expect(client.errors).toBe(0);
          for (const [i, topic] of published.entries()) expect((await publish(topic, asServer, `run ${run} #${i}`)).status).toBe(201);
          expect((await publish(marker)).status).toBe(201);
          await waitUntil(() => topicsOf(client).includes(marker), () => `the marker never came: ${topicsOf(client).join(' ')}`);
          client.close();
          const expected = published.filter((t) => matchesAny(requested, t) && matchesAny(scope, t));
          expect(topicsOf(client)).toEqual([...expected, marker]);
          if (expected.length > 0) delivered++;
        },
      ),
      { numRuns: 25 },
    );
    // Not vacuous: some runs delivered events (and the others checked that nothing came).
    expect(delivered).toBeGreaterThan(0);
  }, 60_000);
});
