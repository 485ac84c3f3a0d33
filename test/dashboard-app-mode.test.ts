// What only the desktop app can do, in the same window in real Chromium: the page runs
// over renderer/bridge/memory-bridge.ts, a small stand-in for the preload bridge (the
// Electron runtime cannot run here), which records what the window asked for.

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../scripts/build-renderer.ts';
import { ntfyPlugin } from '../server/integrations/ntfy/index.ts';
import { describeEvent } from '../server/protocol/event-vocabulary.ts';
import { launchChromium, makeTempDir, openPage, removeDirs } from './dashboard-support.ts';
import { waitUntil } from './support/herald-test-server.ts';
import { describeState, herald, liveState, runCleanups, subscription, watch } from './support/subscription-watch.ts';

let browser: Browser;
let uiDir: string;
let http: Server;
let base: string;

beforeAll(async () => {
  uiDir = await makeTempDir('dashboard-app');
  await buildRenderer({ outDir: uiDir, entry: fileURLToPath(new URL('../renderer/memory-entry.ts', import.meta.url)), minify: false });
  http = createServer(async (req, res) => {
    const name = req.url === '/' ? 'index.html' : (req.url ?? '').slice(1);
    const type = name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : 'text/html';
    try {
      res.writeHead(200, { 'Content-Type': type }).end(await readFile(join(uiDir, name.replace(/[^a-z.]/g, ''))));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  await removeDirs(uiDir);
});

const calls = (page: Page) => page.evaluate('window.heraldBench.bridge.calls') as Promise<string[]>;

async function openApp(page: Page, history = 50): Promise<void> {
  await page.goto(`${base}#history=${history}&view=events`);
  await page.waitForFunction('window.heraldBench && window.heraldBench.openMs !== null');
}

describe('the window inside the desktop app', () => {
  it('opens on the overview of its sources, and runs or cancels a job through the app’s bridge', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await page.goto(`${base}#history=500&sources=10`);
    await page.waitForFunction('window.heraldBench && window.heraldBench.openMs !== null');
    expect(await page.locator('article.source-card').count()).toBe(10);
    expect(await page.locator('.overview-summary').textContent()).toMatch(/(All 10 sources OK|\d+ needs? attention: )/);
    const job = page.locator('article.source-card[data-source="job/task-4"]');
    const button = job.getByRole('button', { name: /^(Run again|Cancel run): task-4/ });
    const name = (await button.getAttribute('aria-label')) ?? '';
    await button.click();
    await expect.poll(() => calls(page)).toEqual([name.startsWith('Run again') ? 'run task-4' : `cancel task-4 ${name.split(' ').at(-1)}`]);
  });

  it('pauses and resumes notifications from the header', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page);
    await page.locator('.pause-area summary').click();
    await page.getByRole('button', { name: 'For 1 hour' }).click();
    await expect.poll(() => page.locator('.paused').textContent()).toMatch(/^Notifications paused until /);
    await page.getByRole('button', { name: 'Resume notifications' }).click();
    await page.locator('.pause-area summary').waitFor();
    const made = await calls(page);
    expect(made).toHaveLength(2);
    const pausedUntil = Number(made[0]!.split(' ')[1]);
    expect(pausedUntil - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(made[1]).toBe('resume');
  });

  it('mutes and unmutes the selected event’s topic', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page);
    const first = page.locator('.event-row').first();
    const topic = (await first.locator('.row-topic').textContent())!;
    await first.click();
    await page.getByRole('button', { name: 'Mute topic' }).click();
    await page.getByRole('button', { name: 'Unmute topic' }).click();
    await page.getByRole('button', { name: 'Mute topic' }).waitFor();
    expect(await calls(page)).toEqual([`mute ${topic} on`, `mute ${topic} off`]);
  });

  it('edits servers and quiet hours with inline errors, and saves only valid settings', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Build box');
    const url = page.getByRole('textbox', { name: 'URL' });
    await url.fill('ftp://build.example');
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('.form-field[data-path="servers[0].url"] .field-error').textContent()).toBe(
      'expected a URL starting with http:// or https://, got "ftp://build.example"',
    );
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-status').textContent()).toBe('Not saved: fix the settings marked above.');
    await url.fill('http://127.0.0.1:8080');
    await page.getByRole('checkbox', { name: 'Silence notifications during quiet hours' }).check();
    const from = page.getByRole('textbox', { name: 'From (HH:MM)' });
    await from.fill('25:00');
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe('true');
    await from.fill('21:30');
    await expect.poll(() => from.getAttribute('aria-invalid')).toBe(null);
    expect(await page.getByRole('checkbox', { name: 'Start Herald when I log in' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-status').textContent()).toBe('Settings saved.');
  });

  it('adds an ntfy server with a user and password, checking its topics as ntfy names', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('ntfy');
    await page.getByRole('textbox', { name: 'Name' }).fill('Home ntfy');
    await page.getByRole('textbox', { name: 'URL' }).fill('https://ntfy.example');
    await page.getByRole('textbox', { name: 'User' }).fill('phil');
    await page.getByLabel('Token').fill('s3cret');
    const topics = page.getByRole('textbox', { name: 'Topics' });
    await topics.fill('alerts, job/*');
    await expect.poll(() => page.locator('.form-field[data-path="servers[0].topics"] .field-error').textContent()).toBe(
      'expected an ntfy topic name of 1 to 64 letters, digits, "-" or "_", got "job/*"',
    );
    await topics.fill('alerts, backups');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-status').textContent()).toBe('Settings saved.');
    const saved = (await page.evaluate('window.heraldBench.bridge.loadSettings()')) as { servers: unknown[] };
    expect(saved.servers).toEqual([expect.objectContaining({ name: 'Home ntfy', url: 'https://ntfy.example', kind: 'ntfy', username: 'phil', token: 's3cret', topics: ['alerts', 'backups'] })]);
  });

  it('clears the history after asking, saying it deletes', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page, 30);
    await page.getByRole('button', { name: 'Clear history' }).click();
    await expect.poll(() => page.locator('.confirm').textContent()).toBe('Delete all 30 stored events?');
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => page.locator('.event-row').count()).toBe(0);
    expect(await calls(page)).toEqual(['clear']);
  });

  it('keeps the reader’s place when events arrive while scrolled down, and the "N new" pill goes to them', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openApp(page, 500);
    const list = page.getByRole('listbox', { name: 'Events, newest first' });
    await list.evaluate((node) => (node.scrollTop = 2000));
    const topRow = () => page.locator('.event-list').evaluate((node) => {
      const box = node.getBoundingClientRect();
      const hit = node.ownerDocument.elementFromPoint(box.left + 40, box.top + 5);
      return hit?.closest('.event-row')?.getAttribute('data-key') ?? null;
    });
    const before = await topRow();
    expect(before).not.toBeNull();
    await page.evaluate('window.heraldBench.live(3, 10)');
    await expect.poll(() => page.locator('.new-pill').textContent()).toBe('3 new');
    expect(await topRow()).toBe(before);
    await page.locator('.new-pill').click();
    await expect.poll(() => list.evaluate((node) => node.scrollTop)).toBe(0);
    expect(await page.locator('.new-pill').isHidden()).toBe(true);
    expect(await page.locator('.event-row').first().getAttribute('data-key')).toBe('local/503');
  });

  it('shows the emoji of a followed ntfy message once, in the row and the card, and the notification says it once', async (ctx) => {
    const server = await herald({ plugins: [ntfyPlugin()] });
    try {
      // The desktop core follows the server's ntfy stream; the message is published the ntfy way.
      const followed = watch([subscription(server.url, ['alerts'], { kind: 'ntfy' })]);
      await waitUntil(liveState(followed), describeState(followed));
      const published = await fetch(`${server.url}/alerts`, { method: 'PUT', headers: { Title: 'Disk full', Tags: 'warning,db' }, body: '97% on /' });
      expect(published.status).toBe(200);
      await waitUntil(() => followed.events.length === 1, describeState(followed));
      const { event } = followed.events[0]!;
      expect(describeEvent(event)).toMatchObject({ title: '⚠️ Disk full', body: '97% on /' });

      const { page } = await openPage(browser, ctx);
      await openApp(page, 0);
      await page.evaluate((received) => (globalThis as unknown as { heraldBench: { bridge: { push(events: unknown[]): void } } }).heraldBench.bridge.push([received]), { server: 'local', event });
      const row = page.locator('.event-row').first();
      await row.waitFor();
      expect(await row.locator('.row-marks').textContent()).toBe('⚠️db');
      expect.soft(await row.locator('.row-summary').textContent()).toBe('Disk full: 97% on /');
      await row.click();
      expect(await page.locator('.message-card .message-title').textContent()).toBe('⚠️ Disk full');
    } finally {
      await runCleanups();
    }
  });
});
