// Redis credentials with a real redis-server that requires a password and a real
// `herald serve`: the URL given without showing it in the process list (the
// environment, a file), never printed, and a password changed on the Redis side
// named in the log, once per change, instead of silent 503s.

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runHerald, startHeraldServe, type ServeProcess } from './support/herald-cli.ts';
import { waitUntil } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';
import { redisFailure } from '../server/store/redis/redis-connection.ts';

const PASSWORD = 'old-S3cr3t';
const NEW_PASSWORD = 'new-S3cr3t';

let dir: string;
let redis: RedisServerProcess;
let serve: ServeProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-redis-auth-'));
  redis = await startRedisServer({ password: PASSWORD });
});
afterEach(async () => {
  await serve?.stop();
  serve = undefined;
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

async function publish(url: string, text: string): Promise<number> {
  const response = await fetch(`${url}/topics/auth/check`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: text });
  await response.text();
  return response.status;
}

/** A client of the test's own, as Redis's administrator. */
async function admin(password: string) {
  const client = createClient({ url: `redis://:${password}@127.0.0.1:${redis.port}` });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('herald serve with a Redis that requires a password', () => {
  it('takes the URL from HERALD_REDIS_URL, and logs once that Redis refuses the credentials after a password change', async () => {
    serve = await startHeraldServe(['--data-dir', join(dir, 'data')], { HERALD_REDIS_URL: redis.url });
    expect(await publish(serve.url, 'before')).toBe(201);
    // Not in the process list.
    expect(readFileSync(`/proc/${serve.child.pid}/cmdline`, 'utf8')).not.toContain('S3cr3t');

    const root = await admin(PASSWORD);
    try {
      // The password changes, and the connections herald has are dropped (as a Redis
      // restart with its new configuration would): herald reconnects with the old one.
      await root.configSet('requirepass', NEW_PASSWORD);
      await root.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      const shown = `redis://127.0.0.1:${redis.port}`;
      const refused = `herald: Redis refused the credentials of the commands connection to ${shown} (WRONGPASS`;
      // One line for each of the three connections (commands, tail, lease).
      await waitUntil(() => count(serve!.output(), 'Redis refused the credentials of the') === 3, () => serve!.output(), 15_000);
      expect(serve.output()).toContain(refused);
      expect(await publish(serve.url, 'during')).toBe(503);

      // More failed attempts (node-redis retries with backoff) and more requests: still
      // one line per connection, not one per attempt or per request.
      const attempts = async () => Number(/total_connections_received:(\d+)/.exec(await root.info('stats'))![1]);
      const seen = await attempts();
      for (let i = 0; i < 3; i++) expect(await publish(serve.url, `during ${i}`)).toBe(503);
      const deadline = Date.now() + 15_000;
      while ((await attempts()) < seen + 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await attempts()).toBeGreaterThanOrEqual(seen + 6);
      expect(count(serve.output(), refused)).toBe(1);
      expect(count(serve.output(), 'Redis refused the credentials of the')).toBe(3);

      // The old password back: the connections recover and say so.
      await root.configSet('requirepass', PASSWORD);
      await waitUntil(() => serve!.output().includes(`herald: Redis commands connection to ${shown} is back`), () => serve!.output(), 15_000);
      expect(await publish(serve.url, 'after')).toBe(201);
    } finally {
      await root.configSet('requirepass', PASSWORD).catch(() => {});
      root.destroy();
    }
    expect(serve.output()).not.toContain('S3cr3t');
  }, 60_000);

  it('takes the URL from --redis-url-file, and names refused credentials at start-up without showing them', async () => {
    const file = join(dir, 'redis-url');
    await writeFile(file, `${redis.url}\n`, { mode: 0o600 });
    serve = await startHeraldServe(['--data-dir', join(dir, 'data'), '--redis-url-file', file]);
    expect(await publish(serve.url, 'from a file')).toBe(201);
    expect(readFileSync(`/proc/${serve.child.pid}/cmdline`, 'utf8')).not.toContain('S3cr3t');
    await serve.stop();
    serve = undefined;

    const wrong = join(dir, 'wrong-url');
    await writeFile(wrong, `redis://:wrong-S3cr3t@127.0.0.1:${redis.port}/0\n`);
    const refused = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--redis-url-file', wrong]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot connect to Redis at redis://127.0.0.1:${redis.port}/0: WRONGPASS`);
    expect(refused.stderr).toContain('(check the user and password in the Redis URL)');
    expect(refused.stderr).not.toContain('S3cr3t');
  }, 60_000);

  it('refuses a --redis URL that does not parse without printing its password, and --redis with --redis-url-file', async () => {
    const bad = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--redis', `redis://:S3/cr3t@127.0.0.1:${redis.port}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`herald serve: expected a Redis URL such as redis://127.0.0.1:6379/0, got "redis://127.0.0.1:${redis.port}"\n`);

    const both = await runHerald(['serve', '--redis', redis.url, '--redis-url-file', join(dir, 'x')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('herald serve: expected one of --redis and --redis-url-file, got both\n');
    expect(both.stderr).not.toContain('S3cr3t');
  }, 60_000);

  it('answers a reply refusing the credentials as an outage (503 with Retry-After), not as an internal error', async () => {
    const client = await admin(PASSWORD);
    try {
      const reply = await client.sendCommand(['AUTH', 'wrong-password']).then(
        () => null,
        (error: unknown) => error,
      );
      expect(String(reply)).toMatch(/WRONGPASS/);
      const failure = redisFailure(reply, 'append events');
      expect(failure.status).toBe(503);
      expect(failure.retryAfterSec).toBeGreaterThan(0);
      expect(failure.message).toMatch(/^the Redis store refused Herald's credentials, could not append events: WRONGPASS/);
    } finally {
      client.destroy();
    }
  });
});
