// docs/nginx-herald.conf, for real: nginx (where installed) in front of two
// `herald serve --redis` instances. The sample is rewritten only where it must be
// (addresses, plain HTTP on a free port, temp paths); everything else is as shipped.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { openEventSource, rawRequest, waitUntil, type EventSourceClient } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';
import { freePort } from './support/free-port.ts';

const NGINX = process.env.HERALD_NGINX ?? '/usr/sbin/nginx';
const nginxMissing = spawnSync(NGINX, ['-v']).status !== 0;
// CI installs nginx (.ci/run), so there a missing binary is a failure, not a skip.
if (nginxMissing && process.env.CI) throw new Error(`${NGINX} is missing in CI: .ci/run should have installed nginx-light`);
if (nginxMissing) console.warn(`skipped: ${NGINX} is not installed (apt-get install nginx-light) to check docs/nginx-herald.conf`);

let dir: string;
let redis: RedisServerProcess;
let instances: HeraldChild[] = [];
let nginx: ChildProcess | undefined;
let url: string;
let client: EventSourceClient | undefined;


/** The shipped sample with local addresses and plain HTTP. */
async function localConfig(ports: readonly number[], listen: number): Promise<string> {
  let text = await readFile(new URL('../docs/nginx-herald.conf', import.meta.url), 'utf8');
  text = text.replace(/server 10\.0\.0\.11:8080/g, `server 127.0.0.1:${ports[0]}`);
  text = text.replace(/server 10\.0\.0\.12:8080/g, `server 127.0.0.1:${ports[1]}`);
  text = text.replace(/^\s*server 10\.0\.0\.13:8080.*\n/gm, '');
  text = text.replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${listen};`);
  text = text.replace(/^\s*ssl_certificate.*\n/gm, '');
  const directives = text.split('\n').filter((line) => !line.trim().startsWith('#'));
  expect(directives.filter((line) => /10\.0\.0\.|ssl/.test(line))).toEqual([]);
  return [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    'events {}',
    'http {',
    `  access_log ${dir}/access.log;`,
    `  client_body_temp_path ${dir}/tmp;`,
    `  proxy_temp_path ${dir}/tmp;`,
    text,
    '}',
  ].join('\n');
}

beforeAll(async () => {
  if (nginxMissing) return;
  dir = await mkdtemp(join(tmpdir(), 'herald-nginx-'));
  await mkdir(join(dir, 'tmp'));
  redis = await startRedisServer();
  instances = await Promise.all(
    ['a', 'b'].map((name) =>
      startHeraldChild(['--port', '0', '--data-dir', join(dir, name), '--redis', redis.url, '--retry-ms', '100'], 15_000),
    ),
  );
  const listen = await freePort();
  const config = join(dir, 'nginx.conf');
  await writeFile(config, await localConfig(instances.map((child) => Number(new URL(child.url).port)), listen));
  const check = spawnSync(NGINX, ['-t', '-c', config, '-p', dir], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  nginx = spawn(NGINX, ['-c', config, '-p', dir, '-g', 'daemon off;'], { stdio: 'ignore' });
  url = `http://127.0.0.1:${listen}`;
  const deadline = Date.now() + 5_000;
  while ((await rawRequest(`${url}/health`).catch(() => ({ status: 0 }))).status !== 200) {
    if (Date.now() > deadline) throw new Error('nginx did not answer /health within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  client?.close();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx?.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await Promise.all(instances.map((child) => child.kill('SIGKILL')));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it.skipIf(nginxMissing)('streams through the sample nginx config and moves a client to the other instance when its own dies', async () => {
  client = openEventSource(`${url}/events?topics=deploy`);
  await waitUntil(() => client?.opens === 1, () => 'the stream to open through nginx');
  const published: string[] = [];
  const publish = async (body: string) => {
    const answer = await rawRequest(`${url}/topics/deploy`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
    expect(answer.status).toBe(201);
    published.push(answer.body.id as string);
  };
  for (let i = 0; i < 5; i++) await publish(`before ${i}`);
  await client.waitFor(5);
  // Kill the instance that holds the stream (the one with a subscriber).
  const holders = await Promise.all(instances.map(async (child) => (await rawRequest(`${child.url}/health`)).body.subscribers as number));
  const holder = instances[holders.indexOf(1)];
  expect(holder).toBeDefined();
  await holder?.kill('SIGKILL');
  for (let i = 0; i < 5; i++) await publish(`after ${i}`);
  await client.waitFor(10, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(client.opens).toBe(2);
  expect(client.events.map((event) => event.id)).toEqual(published);
});
