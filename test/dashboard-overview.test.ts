// The overview in real Chromium against a real `herald serve` with the system source
// (sampling every second), an HTTP probe of a local server that this test stops and
// starts, and a job that prints its progress: the system charts get points, a job's
// progress bar advances and completes, the probe's strip shows the down period, the
// summary changes when a source turns critical, the theme follows the OS, axe finds no
// serious or critical problem on any view in either theme. Makes the screenshots under
// docs/screenshots/.

import { AxeBuilder } from '@axe-core/playwright';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, RESULTS_DIR, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;
let target: Server;
let targetPort: number;

/** The probe's target: answers 200 while it listens. */
async function startTarget(port = 0): Promise<void> {
  target = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => target.listen(port, '127.0.0.1', resolve));
  targetPort = (target.address() as AddressInfo).port;
}

async function stopTarget(): Promise<void> {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
}

beforeAll(async () => {
  await startTarget();
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('overview-data'), launchChromium()]);
  server = await serve({
    uiDir,
    dataDir,
    config: {
      // A sample a second, every one sent. The machine running the tests may be busy:
      // a line held for an hour never raises a level here, yet the charts draw it.
      system: { enabled: true, intervalSec: 1, deadBand: 0, holdSec: 3600, thresholds: { cpu: [80, 95] } },
      probes: { site: { http: `http://127.0.0.1:${targetPort}/`, everySec: 1, timeoutSec: 2, latencyMs: [500, 2000] } },
      jobs: {
        backup: { command: "for p in 0.2 0.4 0.6 0.8; do echo \"::progress $p\"; echo \"copied part $p\"; sleep 0.8; done; echo 'snapshot saved'" },
        slow: { command: 'echo started; sleep 30' },
      },
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stopTarget().catch(() => undefined);
  await removeDirs(uiDir, dataDir);
});

const card = (page: Page, source: string): Locator => page.locator(`article.source-card[data-source="${source}"]`);
const summary = (page: Page): Locator => page.locator('.overview-summary');

async function openOverview(page: Page, url = server.url): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
  await card(page, 'system').waitFor();
}

async function startRun(job: string): Promise<{ run: string; topic: string }> {
  const response = await fetch(`${server.url}/jobs/${job}/runs`, { method: 'POST' });
  expect(response.status).toBe(201);
  return (await response.json()) as { run: string; topic: string };
}

describe('the overview', () => {
  it('is the first view: a card per source and the system’s charts with points', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openOverview(page);
    expect(await page.getByRole('button', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    const system = card(page, 'system');
    await expect.poll(() => system.locator('.card-line').textContent()).toMatch(/^CPU [\d.]+ %, memory [\d.]+ %, disk [\d.]+ %, load [\d.]+$/);
    // The charts are drawn (uPlot's canvas) and say what they show in words.
    await expect.poll(() => system.locator('.chart-plot canvas').count()).toBeGreaterThanOrEqual(4);
    const cpu = system.locator('figure', { hasText: 'CPU' });
    await expect.poll(() => cpu.locator('figcaption').textContent()).toMatch(/^CPU [\d.]+ % now, [\d.]+ % to [\d.]+ % (over the last hour|since [\d:]+); (never at|at or above) the warn line \(80 %\)/);
    // Its points, as a table on request: one row per sample (a sample a second, every one sent).
    await cpu.getByRole('button', { name: 'CPU as a table' }).click();
    await expect.poll(() => cpu.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(await cpu.getByRole('button', { name: 'CPU as a table' }).getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => summary(page).textContent()).toMatch(/All \d+ sources OK/);
  });

  it('shows a job run’s progress bar advancing to the end, its result as a cell, and runs it again', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openOverview(page);
    const started = await startRun('backup');
    const job = card(page, 'job/backup');
    const bar = job.getByRole('progressbar', { name: `backup run ${started.run}` });
    const seen = new Set<string>();
    // Sample the bar until the run has ended: it must pass through its stated steps.
    await expect
      .poll(
        async () => {
          const now = await bar.getAttribute('aria-valuenow').catch(() => null);
          if (now !== null) seen.add(now);
          return bar.getAttribute('aria-valuetext').catch(() => '');
        },
        { timeout: 20_000, interval: 100 },
      )
      .toMatch(/^succeeded in /);
    const values = [...seen].map(Number).sort((a, b) => a - b);
    expect(values.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(2);
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => job.locator('.run-cell').last().getAttribute('title')).toMatch(new RegExp(`^run ${started.run}: succeeded, exit code 0, `));
    expect(await job.locator('.run-cell').last().textContent()).toContain('✓');
    await expect.poll(() => job.locator('figcaption').textContent()).toMatch(/^1 run finished since [\d:]+, taking /);

    // Run again, through the same job API the window's bridge uses.
    await job.getByRole('button', { name: 'Run again: backup' }).click();
    await expect.poll(() => job.getByRole('progressbar').getAttribute('aria-label')).not.toBe(`backup run ${started.run}`);
    await job.getByRole('button', { name: /^Cancel run: backup run / }).click();
    await expect.poll(() => job.locator('.run-cell').last().getAttribute('title'), { timeout: 10_000 }).toMatch(/: cancelled, /);
    // A cancelled last run is a warning; the next good run makes the job OK again.
    await expect.poll(() => job.getAttribute('data-level')).toBe('warn');
    await job.getByRole('button', { name: 'Run again: backup' }).click();
    await expect.poll(() => job.getAttribute('data-level'), { timeout: 15_000 }).toBe('ok');
  });

  it('marks a probe that went down and came back: the summary changes and the strip shows the down period', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openOverview(page);
    const probe = card(page, 'probe/site');
    await expect.poll(() => probe.getAttribute('data-level')).toBe('ok');
    await expect.poll(() => probe.locator('.card-line').textContent()).toMatch(/^Up: 200, \d+ ms$/);
    await expect.poll(() => summary(page).textContent()).not.toContain('probe/site');

    await stopTarget();
    await expect.poll(() => probe.getAttribute('data-level'), { timeout: 15_000 }).toBe('critical');
    await expect.poll(() => summary(page).textContent()).toMatch(/^✖Critical\d+ needs? attention: probe\/site/);
    await expect.poll(() => probe.locator('.level-badge').textContent()).toBe('✖Critical');
    expect(await probe.locator('.card-line').textContent()).toMatch(/^Down since [\d:]+: /);
    // The worst first: the probe's card leads.
    expect(await page.locator('article.source-card').first().getAttribute('data-source')).toBe('probe/site');

    await startTarget(targetPort);
    await expect.poll(() => probe.getAttribute('data-level'), { timeout: 15_000 }).toBe('ok');
    await expect.poll(() => summary(page).textContent()).not.toContain('probe/site');
    // The cell of this minute held the outage: hatched, and said in words.
    const down = probe.locator('.strip-cell.cell-down');
    expect(await down.count()).toBeGreaterThanOrEqual(1);
    expect(await down.last().getAttribute('aria-label')).toMatch(/^[\d:]+ to [\d:]+: down, /);
    expect(await probe.getByRole('definition').first().textContent()).toMatch(/^\d\d?(\.\d)? %$/);
    expect(await probe.locator('.uptime-known').textContent()).toMatch(/^known for /);
    // From the keyboard: the strip is a listbox, its chosen cell said under it (the
    // newest cell holds the outage, the worst state of its minute).
    await probe.getByRole('listbox').focus();
    await page.keyboard.press('End');
    await expect.poll(() => probe.locator('.strip-detail').textContent()).toBe(await down.last().getAttribute('aria-label'));
    expect(await probe.locator('.strip-cell').last().getAttribute('aria-selected')).toBe('true');
  });

  it('follows the OS theme, and the Theme menu overrides it', async (ctx) => {
    const background = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor');
    const dark = await openPage(browser, ctx, { colorScheme: 'dark' });
    await openOverview(dark.page);
    expect(await background(dark.page)).toBe('rgb(20, 23, 27)');
    const light = await openPage(browser, ctx, { colorScheme: 'light' });
    await openOverview(light.page);
    expect(await background(light.page)).toBe('rgb(255, 255, 255)');
    await light.page.getByLabel('Theme').selectOption('dark');
    expect(await background(light.page)).toBe('rgb(20, 23, 27)');
    await light.page.reload();
    await card(light.page, 'system').waitFor();
    expect(await background(light.page)).toBe('rgb(20, 23, 27)');
    await light.page.getByLabel('Theme').selectOption('system');
    expect(await background(light.page)).toBe('rgb(255, 255, 255)');
  });
});

describe('messages in the event list', () => {
  it('shows a message as a notification card: Markdown only when asked, http(s) links only, tags as emoji, links as buttons; grouped by topic', async (ctx) => {
    await server.publish('news/team', {
      title: 'Release',
      body: 'Version **2.0** is out: [notes](https://example.com/notes), [bad](javascript:alert(1)) <img src=x onerror=alert(1)>',
      markdown: true,
      tags: ['tada', 'release'],
      priority: 4,
      click: 'https://example.com/',
      actions: [{ action: 'view', label: 'Changelog', url: 'https://example.com/changelog' }],
    });
    await server.publish('news/team', { title: 'Plain', body: 'plain **not bold** https://example.com/plain' });
    const { page } = await openPage(browser, ctx);
    await page.goto(`${server.url}/#view=events`);
    await page.getByRole('checkbox', { name: 'notify' }).check();
    const release = page.locator('.event-row', { hasText: 'Release' });
    await release.waitFor();
    expect(await release.locator('.row-marks').textContent()).toBe('!High priority🎉release');
    expect(await release.locator('.row-summary').textContent()).toBe('Release: Version 2.0 is out: notes, [bad](javascript:alert(1)) <img src=x onerror=alert(1)>');
    expect(await release.locator('.row-time').textContent()).toMatch(/now|ago/);
    expect(await release.locator('.row-time').getAttribute('title')).toMatch(/\d{4}/);

    await release.click();
    const card = page.getByRole('article', { name: 'Message' });
    expect(await card.locator('.message-title').textContent()).toBe('🎉 Release');
    expect(await card.locator('.message-body strong').allTextContents()).toEqual(['2.0']);
    expect(await card.locator('.message-body a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['https://example.com/notes']);
    expect(await card.locator('.message-body img, .message-body script').count()).toBe(0);
    expect(await card.locator('.message-body').textContent()).toContain('[bad](javascript:alert(1)) <img src=x onerror=alert(1)>');
    const links = card.getByRole('group', { name: 'Links of this message' }).getByRole('link');
    expect(await links.evaluateAll((all) => all.map((a) => `${a.textContent} ${a.getAttribute('href')} ${a.getAttribute('rel')}`))).toEqual([
      'Open link https://example.com/ noopener noreferrer',
      'Changelog https://example.com/changelog noopener noreferrer',
    ]);
    expect(await card.locator('.message-tags').textContent()).toBe('Tags: release');

    // Not asked for Markdown: the asterisks stay, the address is still a link.
    await page.locator('.event-row', { hasText: 'Plain' }).click();
    const plain = page.getByRole('article', { name: 'Message' });
    expect(await plain.locator('.message-body').textContent()).toBe('plain **not bold** https://example.com/plain');
    expect(await plain.locator('.message-body strong').count()).toBe(0);
    expect(await plain.locator('.message-body a').getAttribute('href')).toBe('https://example.com/plain');

    // Grouped by topic: one row per topic, "+1 more" on news/team; picking it shows all of it.
    await page.getByRole('checkbox', { name: 'Group by topic' }).check();
    const grouped = page.locator('.event-row', { hasText: 'news/team' });
    await expect.poll(() => grouped.count()).toBe(1);
    expect(await grouped.locator('.row-more').textContent()).toBe('+1 more');
    await grouped.click();
    await page.getByRole('button', { name: 'Show only this topic' }).click();
    await expect.poll(() => page.locator('.event-row', { hasText: 'news/team' }).count()).toBe(2);
  });
});

describe('accessibility and screenshots', () => {
  const VIEWS = ['Overview', 'Events', 'Settings'] as const;

  async function showView(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
    await page.getByRole('button', { name: view, exact: true }).click();
    if (view === 'Events') await page.locator('.event-row').first().waitFor();
    if (view === 'Settings') await page.getByRole('button', { name: 'Save settings' }).waitFor();
  }

  it('has no serious or critical axe violation on any view, light or dark', { timeout: 90_000 }, async (ctx) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openPage(browser, ctx, { colorScheme });
      await openOverview(page);
      await card(page, 'probe/site').locator('.strip-cell').first().waitFor();
      for (const view of VIEWS) {
        await showView(page, view);
        if (view === 'Events') await page.locator('.event-row').first().click();
        const result = await new AxeBuilder({ page }).analyze();
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${colorScheme} ${view}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}: ${v.help}`)).toEqual([]);
      }
    }
  });

  it('makes a screenshot of each view in both themes for docs/screenshots/', { timeout: 180_000 }, async (ctx) => {
    // A server of its own with a plausible set of sources.
    const shotData = await makeTempDir('overview-shot');
    const shown = await serve({
      uiDir,
      dataDir: shotData,
      config: {
        system: { enabled: true, intervalSec: 1, deadBand: 0, holdSec: 3600, thresholds: { cpu: [80, 95], load: [4, 8] } },
        probes: { site: { http: `http://127.0.0.1:${targetPort}/`, everySec: 1, latencyMs: [500, 2000] }, api: { http: 'http://127.0.0.1:9/', everySec: 1, timeoutSec: 1 } },
        jobs: { backup: { command: "echo 'sending 1.2 GiB'; echo '::progress 0.4'; sleep 1; echo '::progress 0.8'; sleep 300" }, report: { command: 'echo rendering; sleep 0.3; echo done' } },
      },
    });
    ctx.onTestFinished(async () => {
      await shown.stop();
      await removeDirs(shotData);
    });
    await fetch(`${shown.url}/jobs/report/runs`, { method: 'POST' });
    await shown.publish('ci/web', { title: 'Build #417', body: 'main: **2 tests failed**', priority: 4, tags: ['warning', 'ci'], markdown: true });
    await shown.publish('ci/web', { title: 'Build #418', body: 'main: 212 tests passed', tags: ['white_check_mark'] });
    await shown.publish('deploy/prod', { title: 'Deploy', body: 'rollout waiting for approval', priority: 5, tags: ['rotating_light'], actions: [{ action: 'view', label: 'Approve', url: 'https://example.com/approve' }] });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await fetch(`${shown.url}/jobs/report/runs`, { method: 'POST' });
    await fetch(`${shown.url}/jobs/backup/runs`, { method: 'POST' });
    // Half a minute of samples, so the charts have something to show.
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    await fetch(`${shown.url}/jobs/report/runs`, { method: 'POST' });
    await mkdir(RESULTS_DIR, { recursive: true });
    const docs = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
    await mkdir(docs, { recursive: true });
    const shots: Array<{ name: string; width: number; height: number; view: (typeof VIEWS)[number] }> = [
      ...VIEWS.map((view) => ({ name: view.toLowerCase(), width: 1280, height: view === 'Overview' ? 1040 : 800, view })),
      { name: 'overview-narrow', width: 400, height: 860, view: 'Overview' as const },
    ];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const shot of shots) {
        const { page } = await openPage(browser, ctx, { colorScheme, viewport: { width: shot.width, height: shot.height } });
        await openOverview(page, shown.url);
        await card(page, 'job/backup').getByRole('progressbar').waitFor();
        await showView(page, shot.view);
        if (shot.view === 'Events') {
          await page.getByRole('checkbox', { name: 'notify' }).check();
          await page.locator('.event-row', { hasText: 'Deploy' }).click();
        }
        await page.waitForTimeout(300);
        const file = join(RESULTS_DIR, `${shot.name}-${colorScheme}.png`);
        await page.screenshot({ path: file });
        expect((await stat(file)).size).toBeGreaterThan(10_000);
        // docs/ keeps the committed copies: written when missing, or on request
        // (HERALD_UPDATE_SCREENSHOTS=1), so a plain run does not change tracked files.
        const committed = join(docs, `${shot.name}-${colorScheme}.png`);
        const missing = await stat(committed).then(() => false, () => true);
        if (missing || process.env['HERALD_UPDATE_SCREENSHOTS'] === '1') await copyFile(file, committed);
      }
    }
  });
});
