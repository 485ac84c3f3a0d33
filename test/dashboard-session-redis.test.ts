// Dashboard sessions across `herald serve --redis` instances behind a load balancer:
// signed in through the balancer to one instance, a browser stays signed in when
// another answers (the first died, or restarted), and signing out on one ends the
// session on every instance. Real Chromium, real Redis, real processes.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHeraldChild, type HeraldChild } from './support/herald-child.ts';
import { rawRequest } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';
import { startFailoverBalancer, type FailoverBalancer } from './support/tcp-failover.ts';
import { buildDashboard, launchChromium, openPage, removeDirs } from './dashboard-support.ts';

const TOKEN = 'one-token-for-the-whole-deployment';
let dir: string;
let uiDir: string;
let browser: Browser;
let redis: RedisServerProcess;
let a: HeraldChild;
let b: HeraldChild;
let balancer: FailoverBalancer;

async function instance(name: string, port = 0): Promise<HeraldChild> {
  const config = join(dir, `${name}.json`);
  await writeFile(config, JSON.stringify({ system: { enabled: false } }));
  return startHeraldChild(
    ['--port', String(port), '--data-dir', join(dir, name), '--config', config, '--redis', redis.url, '--token', TOKEN, '--heartbeat-sec', '1'],
    15_000,
    { ...process.env, HERALD_DASHBOARD_DIR: uiDir, HERALD_TOKEN: '' },
  );
}

const portOf = (child: HeraldChild): number => Number(new URL(child.url).port);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-session-redis-'));
  [uiDir, browser, redis] = await Promise.all([buildDashboard(), launchChromium(), startRedisServer()]);
  [a, b] = await Promise.all([instance('a'), instance('b')]);
  balancer = await startFailoverBalancer([portOf(a), portOf(b)]);
});

afterAll(async () => {
  await browser?.close();
  await balancer?.close();
  await Promise.all([a, b].map((child) => child?.kill('SIGKILL')));
  await redis?.stop();
  await removeDirs(uiDir);
  await rm(dir, { recursive: true, force: true });
});

/** A request straight to one instance, as the balancer forwards it (the browser's Host). */
function viaInstance(child: HeraldChild, path: string, cookie: string) {
  return rawRequest(`${child.url}${path}`, { headers: { Host: new URL(balancer.url).host, Cookie: cookie } });
}

async function expectLive(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: 20_000 }).toContain('live');
}

it('keeps a browser signed in whichever instance answers, and signs it out on all', async (ctx) => {
  const { context, page } = await openPage(browser, ctx);
  await page.goto(`${balancer.url}/login`);
  await page.getByLabel('Token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${balancer.url}/`);
  await expectLive(page);
  expect(balancer.routed.get(portOf(a))).toBeGreaterThan(0);
  expect(balancer.routed.get(portOf(b)) ?? 0).toBe(0);

  const [stored] = await context.cookies();
  expect(stored?.name).toBe(`herald_session_${new URL(balancer.url).port}`);
  expect(stored?.value).not.toContain(TOKEN);
  const cookie = `${stored!.name}=${stored!.value}`;
  // Made on A, known to B.
  expect((await viaInstance(b, '/topics', cookie)).status).toBe(200);

  // A dies: the balancer sends the browser to B, where it is still signed in.
  await a.kill('SIGKILL');
  await page.reload();
  expect(new URL(page.url()).pathname).toBe('/');
  await expectLive(page);
  expect(balancer.routed.get(portOf(b))).toBeGreaterThan(0);

  // A comes back on its port: the session outlived it (it is in Redis).
  a = await instance('a', portOf(a));
  expect((await viaInstance(a, '/topics', cookie)).status).toBe(200);

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out of this dashboard' }).click();
  await page.waitForURL(`${balancer.url}/login`);
  for (const child of [a, b]) {
    const answer = await viaInstance(child, '/topics', cookie);
    expect(answer.status, child.url).toBe(401);
    expect(answer.body.error).toMatch(/^expected a live dashboard session, got one that has ended/);
  }
});
