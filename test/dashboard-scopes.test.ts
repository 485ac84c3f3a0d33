// The dashboard signed in with a named token: it shows only what the token may read
// and hides the job actions it may not take, and a revoked token's window is told to
// sign in again. Real `herald serve` and `herald token` processes, real Chromium.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHerald } from './support/herald-cli.ts';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

const TOKEN = 'the-whole-servers-token';
let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;
let viewer: string;
let operator: string;
let jobTopic: string;

async function addToken(...args: string[]): Promise<string> {
  const result = await runHerald(['token', 'add', ...args, '--data-dir', dataDir]);
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-scopes'), launchChromium()]);
  server = await serve({ uiDir, dataDir, token: TOKEN, config: { jobs: { build: { command: 'echo built' } } } });
  viewer = await addToken('viewer', '--subscribe', 'ci/**,job/**');
  operator = await addToken('operator', '--subscribe', '**', '--jobs', 'build');
  await server.publish('ci/web', { title: 'CI', body: 'green' });
  await server.publish('deploy/prod', { title: 'Deploy', body: 'shipped' });
  const started = await fetch(`${server.url}/jobs/build/runs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  jobTopic = ((await started.json()) as { topic: string }).topic;
  // The run's end, then a marker after everything: once a window shows it, it has been sent all the rest.
  const runPath = `/jobs/build/runs/${jobTopic.split('/')[2]}`;
  for (let tries = 0; tries < 200; tries++) {
    const run = await fetch(`${server.url}${runPath}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (!['queued', 'running'].includes(((await run.json()) as { state: string }).state)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.publish('ci/zz', { title: 'Marker', body: 'last' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDirs(uiDir, dataDir);
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
  await page.locator('.event-row', { hasText: 'Marker: last' }).waitFor();
}

async function jobDetails(page: Page) {
  await page.locator('.topic-button', { hasText: jobTopic }).click();
  await page.locator('.event-row').first().click();
  const details = page.getByRole('region', { name: new RegExp(` on ${jobTopic}$`) });
  await details.getByLabel('Event JSON').waitFor();
  return details;
}

describe('the dashboard with a scoped token', () => {
  it('shows a read-only viewer only its topics, and no job actions', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await signIn(page, viewer);
    const rows = await page.locator('.event-row').allTextContents();
    expect(rows.some((r) => r.includes('CI: green'))).toBe(true);
    expect(rows.some((r) => r.includes('Deploy'))).toBe(false);
    expect(await page.locator('.topic-button', { hasText: 'deploy/prod' }).count()).toBe(0);
    const details = await jobDetails(page);
    await expect.poll(() => details.getByLabel('Job output').textContent()).toBe('built\n');
    expect(await details.getByRole('button', { name: 'Run again' }).count()).toBe(0);
    expect(await details.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    // The server refuses what the window hides.
    const run = await page.request.post(`${server.url}/jobs/build/runs`);
    expect(run.status()).toBe(403);
  });

  it('shows a token with the job in its scope everything it reads, and the job actions', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await signIn(page, operator);
    await page.locator('.event-row', { hasText: 'Deploy: shipped' }).waitFor();
    const details = await jobDetails(page);
    await details.getByRole('button', { name: 'Run again' }).waitFor();
  });

  it('tells the window of a revoked token to sign in again, and the login form says why', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await signIn(page, viewer);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
    const revoked = await runHerald(['token', 'revoke', 'viewer', '--data-dir', dataDir]);
    expect(revoked.code, revoked.stderr).toBe(0);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: 10_000 }).toContain('sign in again');
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Token').fill(viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That token has been revoked.');
  }, 60_000);
});
