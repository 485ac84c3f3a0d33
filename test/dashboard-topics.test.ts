// 20,000 topics in the web dashboard, in real Chromium against a real server: the
// side list is virtualized (the DOM stays small), the search box finds a topic far
// down the list, and the keyboard reaches every card.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPlugin } from '../server/http/routes/dashboard.ts';
import { buildDashboard, launchChromium, openPage, removeDirs } from './dashboard-support.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';

const TOPICS = 20_000;
const topicName = (n: number): string => `fleet/host-${String(n).padStart(5, '0')}`;
/** Cards a 800 px window can show, with room for the few rendered around them. */
const MAX_CARDS = 60;
/** Elements in the whole page with the side list virtualized (20,000 cards were about 160,000). */
const MAX_ELEMENTS = 3_000;

let browser: Browser;
let server: TestServer;
let uiDir: string;

beforeAll(async () => {
  [uiDir, browser] = await Promise.all([buildDashboard(), launchChromium()]);
  server = await startTestServer({ plugins: [dashboardPlugin({ dir: uiDir })], retention: { maxEventsPerTopic: 10 } });
  for (let n = 0; n < TOPICS; n++) {
    await server.server.publisher.publish({ type: 'notify', data: { topic: topicName(n), time: Date.now(), body: `host ${n} is up`, priority: 3, tags: [] } });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.server.http.closeAllConnections();
    await server.close();
  }
  await removeDirs(uiDir);
});

const cards = (page: Page) => page.locator('.topic-item:not(.topic-item-probe)');
const domSize = (page: Page) => page.evaluate('document.getElementsByTagName("*").length') as Promise<number>;
const scrollTopics = (page: Page, to: string) => page.evaluate(`(() => { const viewport = document.querySelector('.topic-viewport'); viewport.scrollTop = ${to}; })()`);
const focusedTopic = (page: Page) => page.evaluate('document.activeElement && document.activeElement.dataset.topic') as Promise<string | undefined>;

async function openDashboard(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect.poll(() => page.locator('.event-row').first().getAttribute('aria-setsize'), { timeout: 90_000 }).toBe(String(TOPICS));
  await cards(page).first().waitFor();
}

describe('the side list with 20,000 topics', () => {
  it('keeps only the cards in view in the DOM, and the search finds a topic far down the list', { timeout: 120_000 }, async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openDashboard(page);
    expect(await cards(page).count()).toBeLessThanOrEqual(MAX_CARDS);
    expect(await domSize(page)).toBeLessThanOrEqual(MAX_ELEMENTS);
    expect(await cards(page).first().locator('.topic-name').textContent()).toBe(topicName(0));

    // Scrolled to the middle: the cards there exist, still only a few.
    await scrollTopics(page, 'viewport.scrollHeight / 2');
    await expect.poll(() => page.locator('.topic-button[data-topic="fleet/host-10000"]').count()).toBe(1);
    expect(await cards(page).count()).toBeLessThanOrEqual(MAX_CARDS);

    await page.getByRole('searchbox', { name: 'Search' }).fill('host-19999');
    await expect.poll(() => cards(page).locator('.topic-name').allTextContents()).toEqual([topicName(19_999)]);
    await expect.poll(() => page.locator('.topic-count').textContent()).toBe(`1 of ${TOPICS} topics`);
    await expect.poll(() => page.locator('.event-row .row-topic').allTextContents()).toEqual([topicName(19_999)]);
    await page.locator('.topic-button', { hasText: topicName(19_999) }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Topic' }).inputValue()).toBe(topicName(19_999));
    expect(await domSize(page)).toBeLessThanOrEqual(MAX_ELEMENTS);
  });

  it('is driven from the keyboard: one card in the tab order, arrows, End and Home, Enter picks', { timeout: 120_000 }, async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await openDashboard(page);
    expect(await page.locator('.topic-button[tabindex="0"]').count()).toBe(1);
    await page.locator('.topic-button[tabindex="0"]').focus();
    expect(await focusedTopic(page)).toBe(topicName(0));
    await page.keyboard.press('ArrowDown');
    expect(await focusedTopic(page)).toBe(topicName(1));
    await page.keyboard.press('End');
    expect(await focusedTopic(page)).toBe(topicName(TOPICS - 1));
    expect(await cards(page).count()).toBeLessThanOrEqual(MAX_CARDS);
    await page.keyboard.press('PageUp');
    const paged = Number((await focusedTopic(page))?.slice(-5));
    expect(paged).toBeLessThan(TOPICS - 1);
    expect(paged).toBeGreaterThan(TOPICS - 40);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('combobox', { name: 'Topic' }).inputValue()).toBe(topicName(paged));
    expect(await page.locator('.topic-button[aria-pressed="true"]').getAttribute('data-topic')).toBe(topicName(paged));
    // The focused card stays in the DOM while the list is scrolled away from it.
    await scrollTopics(page, '0');
    await expect.poll(() => page.locator('.topic-button[data-topic="fleet/host-00000"]').count()).toBe(1);
    expect(await focusedTopic(page)).toBe(topicName(paged));
    await page.keyboard.press('Home');
    expect(await focusedTopic(page)).toBe(topicName(0));
    expect(await page.locator('.topic-button[tabindex="0"]').count()).toBe(1);
    // A card focused by the mouse is where the arrows go on from.
    await page.locator('.topic-button[data-topic="fleet/host-00005"]').focus();
    await page.keyboard.press('ArrowDown');
    expect(await focusedTopic(page)).toBe(topicName(6));
    expect(await page.locator('.topic-button[tabindex="0"]').getAttribute('data-topic')).toBe(topicName(6));
  });
});
