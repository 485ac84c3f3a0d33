// The settings view in the web dashboard: invalid input is explained inline and not
// saved; what only the desktop app can do is disabled and explained; saved topics
// change what the dashboard streams.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-settings'), launchChromium()]);
  server = await serve({ uiDir, dataDir });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDirs(uiDir, dataDir);
});

async function openSettings(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('textbox', { name: 'Topics' }).waitFor();
}

describe('the settings view on the web', () => {
  it('explains an invalid topic inline, refuses to save it, and saves once it is fixed', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openSettings(page);
    const topics = page.getByRole('textbox', { name: 'Topics' });
    await topics.fill('team/**, bad topic!');
    await expect.poll(() => topics.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await topics.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').at(-1)!;
    await expect.poll(() => page.locator(`[id="${errorId}"]`).textContent()).toMatch(/^expected a topic pattern of .* got "topic!"$/);
    await expect.poll(() => page.getByText('1 setting needs attention.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-status').textContent()).toBe('Not saved: fix the settings marked above.');
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe(await topics.getAttribute('id'));

    await topics.fill('team/**');
    await expect.poll(() => topics.getAttribute('aria-invalid')).toBe(null);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-status').textContent()).toBe('Settings saved.');

    await page.getByRole('button', { name: 'Events' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
    await server.publish('other/topic', { body: 'not watched' });
    await server.publish('team/a/b', { body: 'watched' });
    await page.locator('.event-row', { hasText: 'watched' }).first().waitFor();
    expect(await page.locator('.event-row', { hasText: 'not watched' }).count()).toBe(0);
  });

  it('shows what only the desktop app can do as disabled, with the reason', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openSettings(page);
    expect(await page.getByRole('checkbox', { name: 'Start Herald when I log in' }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Run the bundled server' }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Silence notifications during quiet hours' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add rule' }).isDisabled()).toBe(true);
    expect(await page.getByText('Start at login and the bundled server are settings of the desktop app.').isVisible()).toBe(true);
    expect(await page.getByText(/only the desktop app raises/).first().isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add server' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Events' }).click();
    const pause = page.locator('.pause-area summary');
    expect(await pause.getAttribute('aria-disabled')).toBe('true');
    const noteId = (await pause.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${noteId}"]`).textContent()).toMatch(/desktop app/);
  });
});
