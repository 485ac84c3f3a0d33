// Named tokens shared by two instances over one real Redis: made and revoked by the
// real `herald token --redis` (a separate process) while both servers run, honoured
// by both at once, and a revoke closes the streams the token holds on each instance.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../main/cli/cli.ts';
import type { CliIO } from '../main/cli/command.ts';
import { runHerald } from './support/herald-cli.ts';
import { openRawStream, rawRequest, startTestServer, type RawStream, type TestServer } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';

const SERVER_TOKEN = 'deployment-token';
let redis: RedisServerProcess;
let a: TestServer;
let b: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const options = { token: SERVER_TOKEN, redis: { url: redis.url }, logLine: (line: string) => logLines.push(line) };
  [a, b] = await Promise.all([startTestServer(options), startTestServer(options)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

function publish(server: TestServer, topic: string, headers: Record<string, string>) {
  return rawRequest(`${server.url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: `to ${topic}` });
}

/** `herald token ...` in this process (the add and the revoke run as processes of their own). */
async function token(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  const code = await main(['token', ...args, '--redis', redis.url], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const closedWithin = (stream: RawStream, ms: number): Promise<boolean> =>
  Promise.race([stream.ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

it('a token added once works on every instance, reads only its scope, and a revoke closes its streams on all of them', async () => {
  const added = await runHerald(['token', 'add', 'team', '--publish', 'team/**', '--subscribe', 'team/**', '--redis', redis.url]);
  expect(added.code, added.stderr).toBe(0);
  const secret = added.stdout.trim();

  expect((await publish(a, 'team/one', bearer(secret))).status).toBe(201);
  const onA = await openRawStream(`${a.url}/events?topics=**`, bearer(secret));
  const onB = await openRawStream(`${b.url}/events?topics=**`, bearer(secret));
  expect([onA.status, onB.status]).toEqual([200, 200]);
  expect((await publish(a, 'deploy/x', { Authorization: `Bearer ${SERVER_TOKEN}` })).status).toBe(201);
  expect((await publish(b, 'team/two', bearer(secret))).status).toBe(201);
  for (const stream of [onA, onB]) {
    await stream.waitFor(1);
    expect(stream.messages.map((m) => JSON.parse(m.data).topic)).toEqual(['team/two']);
  }
  expect((await publish(b, 'deploy/y', bearer(secret))).status).toBe(403);

  // Uses are written to Redis on the instances' next tick (every second).
  let listed = await token('list');
  for (let tries = 0; !listed.out.includes(' from 127.0.0.1') && tries < 30; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    listed = await token('list');
  }
  expect(listed.code, listed.err).toBe(0);
  expect(listed.out).toMatch(/^team +live +publish:team\/\*\* subscribe:team\/\*\* .* from 127\.0\.0\.1/m);

  const revoked = await runHerald(['token', 'revoke', 'team', '--redis', redis.url]);
  expect(revoked.code, revoked.stderr).toBe(0);
  expect(await Promise.all([closedWithin(onA, 2000), closedWithin(onB, 2000)])).toEqual([true, true]);
  for (const server of [a, b]) {
    expect(await rawRequest(`${server.url}/topics`, { headers: bearer(secret) })).toMatchObject({ status: 401, body: { error: 'the token has been revoked; ask for a new one' } });
  }
  expect(logLines).toContainEqual(expect.stringContaining('(token "team"): 403 the token "team" may not publish to "deploy/y"'));

  const again = await token('add', 'team', '--admin');
  expect(again.code).toBe(2);
  expect(again.err).toContain('which a token already has (revoked)');
}, 60_000);
