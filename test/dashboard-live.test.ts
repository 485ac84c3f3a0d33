// The web dashboard in real Chromium against a real `herald serve`: live events,
// filters and search, job runs (banner, exit code, log, cancel, run again), keyboard,
// and 200% zoom. Makes docs/screenshot-dashboard.png for the README.

import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, RESULTS_DIR, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;

const JOBS = {
  jobs: {
    build: { command: "echo 'compiling 1/2'; echo 'compiling 2/2'; echo 'tests failed'; exit 3" },
    long: { command: 'echo started; sleep 30' },
  },
};

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-data'), launchChromium()]);
  server = await serve({ uiDir, dataDir, config: JOBS });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDirs(uiDir, dataDir);
});

const rows = (page: Page) => page.locator('.event-row');
const row = (page: Page, text: string) => page.locator('.event-row', { hasText: text });
const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });

async function openDashboard(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect.poll(() => connection(page).textContent()).toContain('live');
}

describe('the web dashboard, live', () => {
  it('shows a published message within a second, newest first, with its level in words', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    const streams: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/events') streams.push(request.url());
    });
    await openDashboard(page);
    await server.publish('demo/first', { title: 'First', body: 'one' });
    await row(page, 'First: one').waitFor({ timeout: 1000 });
    await server.publish('demo/second', { title: 'Second', body: 'urgent', priority: 5 });
    await row(page, 'Second: urgent').waitFor({ timeout: 1000 });
    const texts = await rows(page).allTextContents();
    const first = texts.findIndex((t) => t.includes('First: one'));
    const second = texts.findIndex((t) => t.includes('Second: urgent'));
    expect(second).toBeLessThan(first);
    // Level as a word (and an icon), not colour alone.
    await expect.poll(() => row(page, 'Second: urgent').locator('.level-word').textContent()).toBe('Critical');
    await expect.poll(() => page.locator('.topic-button', { hasText: 'demo/second' }).textContent()).toMatch(/live[\s\S]*Second: urgent/);
    // Every topic on one connection (browsers allow about six per host).
    expect(streams).toHaveLength(1);
    expect(new URL(streams[0]!).searchParams.get('topics')).toBe('**');
  });

  it('narrows the list with search, topic, type, level and time filters, and the topic side list', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await server.publish('shop/build', { title: 'Build 12', body: 'all tests passed' });
    await server.publish('shop/deploy', { title: 'Deploy', body: 'rollout stalled', priority: 4 });
    await server.publish('shop/stock', { status: { item: 'lamps', count: 3 } });
    await openDashboard(page);
    await row(page, 'count=3').waitFor();

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('rollout');
    await expect.poll(() => rows(page).allTextContents()).toEqual([expect.stringContaining('Deploy: rollout stalled')]);
    await search.fill('LAMPS');
    await expect.poll(() => rows(page).allTextContents()).toEqual([expect.stringContaining('item=lamps')]);
    await search.fill('');

    await page.getByRole('combobox', { name: 'Topic' }).fill('shop/*');
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByRole('checkbox', { name: 'update' }).check();
    await expect.poll(() => rows(page).allTextContents()).toEqual([expect.stringContaining('count=3')]);
    await page.getByRole('checkbox', { name: 'update' }).uncheck();
    await page.getByRole('checkbox', { name: /Warning/ }).check();
    await expect.poll(() => rows(page).allTextContents()).toEqual([expect.stringContaining('rollout stalled')]);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    const topicButton = page.locator('.topic-button', { hasText: 'shop/build' });
    await topicButton.click();
    await expect.poll(() => topicButton.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => rows(page).allTextContents()).toEqual([expect.stringContaining('Build 12: all tests passed')]);
    await topicButton.click();
    await expect.poll(() => rows(page).count()).toBeGreaterThan(3);

    await page.getByRole('combobox', { name: 'Time' }).selectOption('custom');
    await page.getByLabel('To', { exact: true }).fill('2001-01-01T00:00');
    await expect.poll(() => rows(page).count()).toBe(0);
    await expect.poll(() => page.getByText('No events match the filters.').isVisible()).toBe(true);
  });

  it('shows an ended job’s banner with its exit code, its output log, and runs it again', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openDashboard(page);
    const started = (await (await fetch(`${server.url}/jobs/build/runs`, { method: 'POST' })).json()) as { topic: string; run: string };
    const banner = page.locator(`.ended-banner[data-topic="${started.topic}"]`);
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/ended.*failed, exit code 3/);
    await expect.poll(() => page.locator('.topic-button', { hasText: started.topic }).textContent()).toContain('ended: failed, exit code 3');

    await banner.getByRole('button', { name: `Show ${started.topic}` }).click();
    await row(page, 'exit code 3').click();
    const details = page.getByRole('region', { name: `end on ${started.topic}` });
    await expect.poll(() => details.getByLabel('Event JSON').textContent()).toContain('"exitCode": 3');
    await expect.poll(() => details.getByLabel('Job output').textContent()).toBe('compiling 1/2\ncompiling 2/2\ntests failed\n');

    await details.getByRole('button', { name: 'Run again' }).click();
    // The list switches to the new run's topic.
    await expect.poll(() => page.getByRole('combobox', { name: 'Topic' }).inputValue()).not.toBe(started.topic);
    const again = await page.getByRole('combobox', { name: 'Topic' }).inputValue();
    expect(again).toMatch(/^job\/build\/./);
    await page.locator(`.ended-banner[data-topic="${again}"]`).waitFor();
  });

  it('cancels a running job from its details', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openDashboard(page);
    const started = (await (await fetch(`${server.url}/jobs/long/runs`, { method: 'POST' })).json()) as { topic: string };
    await page.getByRole('combobox', { name: 'Topic' }).fill(started.topic);
    await row(page, 'state=running').first().click();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const banner = page.locator(`.ended-banner[data-topic="${started.topic}"]`);
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain('cancelled');
    await page.getByRole('button', { name: 'Run again' }).waitFor();
  });

  it('exports the current view as CSV and as JSON', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await server.publish('export/a', { title: 'Export', body: 'first, "quoted"' });
    await server.publish('export/a', { title: 'Export', body: 'second' });
    await server.publish('export/b', { body: 'not in the view' });
    await openDashboard(page);
    await page.getByRole('combobox', { name: 'Topic' }).fill('export/a');
    await expect.poll(() => rows(page).count()).toBe(2);

    const save = async (label: string): Promise<string> => {
      await page.getByRole('group', { name: 'Actions' }).getByText('Export', { exact: true }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
      const file = await download.path();
      return readFile(file, 'utf8');
    };
    const csv = (await save('Export as CSV')).split('\r\n');
    expect(csv[0]).toBe('time,server,topic,type,level,id,summary,data');
    expect(csv.slice(1, 3).map((line) => line.split(',')[2])).toEqual(['export/a', 'export/a']);
    expect(csv[1]).toContain('Export: second');
    expect(csv[2]).toContain('"Export: first, ""quoted"""');
    expect(csv[3]).toBe('');
    const json = JSON.parse(await save('Export as JSON')) as Array<{ data: { body: string; topic: string } }>;
    expect(json.map((e) => e.data.body)).toEqual(['second', 'first, "quoted"']);
  });

  it('is driven from the keyboard: / to search, arrows through the list, Enter to the details', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await server.publish('keys/a', { body: 'alpha' });
    await server.publish('keys/b', { body: 'bravo' });
    await openDashboard(page);
    await row(page, 'bravo').waitFor();
    await page.keyboard.press('/');
    await expect.poll(() => page.locator(':focus').getAttribute('type')).toBe('search');
    await page.keyboard.type('keys');
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(':focus').getAttribute('role')).toBe('listbox');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.event-row[aria-selected="true"]').textContent()).toContain('bravo');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.event-row[aria-selected="true"]').textContent()).toContain('alpha');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(':focus').textContent()).toBe('notify on keys/a');
  });

  it('reflows at 200% zoom: no sideways scrolling, the connection and the list stay readable', async (ctx) => {
    // 200% zoom of a 1280x800 window is a 640x400 CSS-pixel viewport at twice the density.
    const { page } = await openPage(browser, ctx, { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await server.publish('zoom/check', { title: 'Zoomed', body: 'still readable' });
    await openDashboard(page);
    await row(page, 'still readable').waitFor();
    // A string, as this file is type-checked without the DOM library.
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await connection(page).isVisible()).toBe(true);
    const box = await row(page, 'still readable').boundingBox();
    expect(box && box.width).toBeGreaterThan(300);
  });

  it('makes the README screenshot of the window (light theme)', async (ctx) => {
    // A server of its own, so the picture shows a plausible day rather than test topics.
    const shotData = await makeTempDir('dashboard-shot');
    const shown = await serve({ uiDir, dataDir: shotData, config: { jobs: { backup: { command: "echo 'sending 1.2 GiB'; echo '::progress 0.8'; echo 'snapshot 5f2c saved'" } } } });
    ctx.onTestFinished(async () => {
      await shown.stop();
      await removeDirs(shotData);
    });
    for (const cpu of [31.5, 44.2, 23.5]) await shown.publish('system', { status: { cpu, memory: 61.2, disk: 48 } });
    await shown.publish('probe/site', { status: { up: true, latencyMs: 182 } });
    await shown.publish('ci/web', { title: 'Build #417', body: 'main: 2 tests failed', priority: 4, tags: ['ci'] });
    await shown.publish('ci/web', { title: 'Build #418', body: 'main: 212 tests passed', tags: ['ci'] });
    await shown.publish('deploy/prod', { title: 'Deploy', body: 'rollout waiting for approval', priority: 5 });
    const { page } = await openPage(browser, ctx);
    await page.goto(shown.url);
    await expect.poll(() => connection(page).textContent()).toContain('live');
    const started = (await (await fetch(`${shown.url}/jobs/backup/runs`, { method: 'POST' })).json()) as { topic: string };
    await page.locator(`.ended-banner[data-topic="${started.topic}"]`).waitFor();
    await row(page, 'Build #418').click();
    await mkdir(RESULTS_DIR, { recursive: true });
    const shot = join(RESULTS_DIR, 'screenshot-dashboard.png');
    await page.screenshot({ path: shot });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    // docs/ keeps the committed copy: written when missing, or on request, so that a
    // plain test run does not change a tracked file.
    const docs = fileURLToPath(new URL('../docs/screenshot-dashboard.png', import.meta.url));
    const missing = await stat(docs).then(() => false, () => true);
    if (missing || process.env['HERALD_UPDATE_SCREENSHOTS'] === '1') await copyFile(shot, docs);
  });
});
