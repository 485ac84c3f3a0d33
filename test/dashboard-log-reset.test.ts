// The server's data dir is wiped under an open page (the server SIGKILLed, its log
// deleted, a new server on the same port): the browser resumes with an id the new
// log never issued. Chromium's own EventSource and the dashboard both get the
// `unknown-resume-point` gap, then the new log's events, though their ids (1, 2)
// are ones the page already holds.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let uiDir: string;
const dataDirs: string[] = [];
const servers: ServerProcess[] = [];

beforeAll(async () => {
  [uiDir, browser] = await Promise.all([buildDashboard(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.kill();
  await removeDirs(uiDir, ...dataDirs);
});

async function serveFresh(dataDir: string, port?: number): Promise<ServerProcess> {
  const server = await serve({ uiDir, dataDir, ...(port === undefined ? {} : { port }) });
  servers.push(server);
  return server;
}

/** SIGKILL the server, delete its whole data dir, and start a new one on the same port. */
async function wipeAndRestart(server: ServerProcess, dataDir: string): Promise<ServerProcess> {
  await server.kill();
  await removeDirs(dataDir);
  return serveFresh(dataDir, server.port);
}

const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });
const summaries = (page: Page) => page.locator('.event-row .row-summary').allTextContents();

describe('a wiped data dir under an open page', () => {
  it("Chromium's EventSource gets the gap, then the new log's events", async (ctx) => {
    const dataDir = await makeTempDir('reset-es');
    dataDirs.push(dataDir);
    const first = await serveFresh(dataDir);
    const { page } = await openPage(browser, ctx);
    await page.goto(`${first.url}/health`);
    // The page's own script (a string: this file is not type-checked against the DOM).
    await page.evaluate(`
      window.seen = [];
      const source = new EventSource('/events?topics=reset/*');
      for (const type of ['notify', 'gap']) {
        source.addEventListener(type, (event) => window.seen.push({ type, id: event.lastEventId, data: JSON.parse(event.data) }));
      }
    `);
    const seen = () => page.evaluate('window.seen') as Promise<Array<{ type: string; id: string; data: Record<string, unknown> }>>;
    // The browser's own stream is open once the server counts it.
    await expect.poll(async () => ((await (await fetch(`${first.url}/health`)).json()) as { subscribers: number }).subscribers).toBe(1);
    const before = [await first.publish('reset/demo', { body: 'before 1' }), await first.publish('reset/demo', { body: 'before 2' })];
    await expect.poll(async () => (await seen()).map((e) => e.id)).toEqual(before);

    const second = await wipeAndRestart(first, dataDir);
    // EventSource reconnects by itself, with Last-Event-ID 2: an id the new log has not issued.
    await expect.poll(async () => (await seen()).length, { timeout: 20_000 }).toBe(3);
    const after = await second.publish('reset/demo', { body: 'after 1' });
    expect(after).toBe('1');
    await expect.poll(async () => (await seen()).map((e) => `${e.type} ${e.id} ${String(e.data.body ?? e.data.reason)}`)).toEqual([
      'notify 1 before 1',
      'notify 2 before 2',
      'gap 0 unknown-resume-point',
      'notify 1 after 1',
    ]);
  });

  it('the dashboard shows the gap and the new events, keeping the old ones', async (ctx) => {
    const dataDir = await makeTempDir('reset-dashboard');
    dataDirs.push(dataDir);
    const first = await serveFresh(dataDir);
    const { page } = await openPage(browser, ctx);
    await page.goto(`${first.url}/#view=events`);
    await expect.poll(() => connection(page).textContent()).toContain('live');
    for (const n of [1, 2, 3]) await first.publish('reset/demo', { body: `before ${n}` });
    await expect.poll(() => summaries(page)).toEqual(['before 3', 'before 2', 'before 1']);

    const second = await wipeAndRestart(first, dataDir);
    await expect.poll(() => summaries(page), { timeout: 20_000 }).toEqual([expect.stringMatching(/history of \*\* may be incomplete/), 'before 3', 'before 2', 'before 1']);
    await expect.poll(() => connection(page).textContent()).toContain('live');
    for (const n of [1, 2]) await second.publish('reset/demo', { body: `after ${n}` });
    await expect.poll(() => summaries(page)).toEqual(['after 2', 'after 1', expect.stringMatching(/may be incomplete/), 'before 3', 'before 2', 'before 1']);
  });
});
