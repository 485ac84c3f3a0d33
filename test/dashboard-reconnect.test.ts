// Killing the server under an open dashboard: the window says "reconnecting in N s",
// then "live" once the server is back on the same port and data dir, and every event
// published before, during and after is in the list exactly once.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let uiDir: string;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-restart'), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.kill();
  await removeDirs(uiDir, dataDir);
});

const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });
const summaries = (page: Page) => page.locator('.event-row .row-summary').allTextContents();

describe('the dashboard across a server restart', () => {
  it('shows reconnecting, then live, with no event lost or doubled', async (ctx) => {
    const first = await serve({ uiDir, dataDir });
    servers.push(first);
    const { page } = await openPage(browser, ctx);
    await page.goto(`${first.url}/#view=events`);
    await expect.poll(() => connection(page).textContent()).toContain('live');
    for (const n of [1, 2, 3]) await first.publish('restart/demo', { body: `before ${n}` });
    await expect.poll(() => summaries(page)).toEqual(['before 3', 'before 2', 'before 1']);

    await first.kill();
    await expect.poll(() => connection(page).textContent(), { timeout: 10_000 }).toMatch(/reconnecting in \d+ s/);
    await expect.poll(() => page.locator('.topic-button', { hasText: 'restart/demo' }).textContent()).toMatch(/reconnecting in \d+ s/);

    const second = await serve({ uiDir, dataDir, port: first.port });
    servers.push(second);
    // Published while the page is still waiting to retry: it must arrive by resume.
    await second.publish('restart/demo', { body: 'during' });
    await expect.poll(() => connection(page).textContent(), { timeout: 20_000 }).toContain('live');
    await second.publish('restart/demo', { body: 'after' });
    await expect.poll(() => summaries(page)).toEqual(['after', 'during', 'before 3', 'before 2', 'before 1']);
    const keys = await page.locator('.event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(new Set(keys).size).toBe(5);
  });
});
