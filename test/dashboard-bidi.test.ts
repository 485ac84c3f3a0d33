// Bidirectional text spoofing, in real Chromium against a real `herald serve`: a
// title with an unclosed RLO (U+202E), one with a PDI that would close the isolate
// around it, and plain right-to-left text must not reorder what is shown after them
// in the event row, the topic card, the details and the JSON pane. Positions are
// read from the laid-out text (Range boxes), so the test sees what a person sees.

import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-bidi'), launchChromium()]);
  server = await serve({ uiDir, dataDir });
  await server.publish('mail/invoice', { title: 'Invoice \u202efdp.exe', body: 'Safe body text here' });
  await server.publish('mail/escape', { status: { name: 'x\u2069\u202eevil', next: 'after' } });
  await server.publish('mail/hebrew', { title: 'עדכון', body: '5 files' });
  await server.publish('mail/ended', { event: 'end', state: 'failed', exitCode: 1, durationMs: 1000, summary: 'done \u202eerht' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDirs(uiDir, dataDir);
});

interface Box {
  left: number;
  right: number;
  top: number;
}

/**
 * Where `needle` is drawn inside the first element matching `selector` (the box of
 * its characters as laid out, bidi reordering included), or null when it is not there.
 */
async function boxOf(page: Page, selector: string, needle: string): Promise<Box | null> {
  return page.evaluate(`((selector, needle) => {
    const scope = document.querySelector(selector);
    if (!scope) return null;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const rect = range.getBoundingClientRect();
      return { left: rect.left, right: rect.right, top: rect.top };
    }
    return null;
  })(${JSON.stringify(selector)}, ${JSON.stringify(needle)})`) as Promise<Box | null>;
}

/** Asserts `first` is drawn before (left of, on the same line as) `second`. */
async function expectInOrder(page: Page, selector: string, first: string, second: string): Promise<void> {
  const [a, b] = [await boxOf(page, selector, first), await boxOf(page, selector, second)];
  expect(a, `"${first}" in ${selector}`).not.toBeNull();
  expect(b, `"${second}" in ${selector}`).not.toBeNull();
  expect(Math.abs(a!.top - b!.top), `"${first}" and "${second}" on one line`).toBeLessThan(2);
  expect(a!.right, `"${first}" is drawn left of "${second}" in ${selector}`).toBeLessThanOrEqual(b!.left + 0.5);
}

/**
 * Every text node under `selector` that holds one of `texts`: each must be exactly
 * that text, alone in an element whose computed unicode-bidi isolates it.
 */
async function isolation(page: Page, selector: string, texts: string[]): Promise<Array<{ text: string; alone: boolean; unicodeBidi: string }>> {
  return page.evaluate(`((selector, texts) => {
    const found = [];
    for (const scope of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = texts.find((t) => node.data.includes(t));
        if (text === undefined) continue;
        found.push({ text, alone: node.data === text && node.parentElement.childNodes.length === 1, unicodeBidi: getComputedStyle(node.parentElement).unicodeBidi });
      }
    }
    return found;
  })(${JSON.stringify(selector)}, ${JSON.stringify(texts)})`) as Promise<Array<{ text: string; alone: boolean; unicodeBidi: string }>>;
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.locator('.event-row', { hasText: 'Safe body' }).waitFor();
  await page.locator('.topic-button', { hasText: 'mail/ended' }).waitFor();
}

describe('publisher text with bidi controls or right-to-left words', () => {
  it('cannot reorder the rest of the event row or the topic card', async (ctx) => {
    const { page } = await openPage(browser, ctx, { bypassCSP: true });
    await openDashboard(page);
    const rowOf = async (text: string): Promise<string> => {
      const key = await page.locator('.event-row', { hasText: text }).getAttribute('data-key');
      return `.event-row[data-key="${key}"] .row-summary`;
    };
    // An unclosed RLO in the title: the body after it still reads left to right, after the title.
    const invoice = await rowOf('Safe body');
    await expectInOrder(page, invoice, 'Invoice', 'Safe');
    await expectInOrder(page, invoice, 'Safe', 'here');
    const invoiceCard = '.topic-button[data-topic="mail/invoice"] .topic-value';
    await expectInOrder(page, invoiceCard, 'Invoice', 'Safe');
    await expectInOrder(page, invoiceCard, 'Safe', 'here');

    // A PDI that would close the isolate around the value, then an RLO: the next field stays in place.
    const escape = await rowOf('after');
    await expectInOrder(page, escape, 'evil', 'next');
    await expectInOrder(page, escape, 'next', 'after');

    // Right-to-left words in the title: the body's "5 files" stays after the title and its colon.
    const hebrew = await rowOf('5 files');
    await expectInOrder(page, hebrew, 'עדכון', '5 files');
    await expectInOrder(page, '.topic-button[data-topic="mail/hebrew"] .topic-value', 'עדכון', '5 files');

    const texts = ['Safe body text here', 'עדכון', '5 files', 'after'];
    const isolated = await isolation(page, '.event-row .row-summary, .topic-value', texts);
    expect(isolated.map((i) => i.text).sort()).toEqual([...texts, ...texts].sort());
    expect(isolated.filter((i) => !i.alone || i.unicodeBidi !== 'isolate')).toEqual([]);
  });

  it('cannot reorder the details or the JSON pane, whose text stays JSON', async (ctx) => {
    const { page } = await openPage(browser, ctx, { bypassCSP: true });
    await openDashboard(page);
    await page.locator('.event-row', { hasText: 'Safe body' }).click();
    const json = page.getByLabel('Event JSON');
    await expect.poll(() => json.textContent()).toContain('Safe body text here');
    const shown = JSON.parse((await json.textContent())!) as { data: { title: string } };
    expect(shown.data.title).toBe('Invoice \u202efdp.exe');
    expect(await json.textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    const strings = await isolation(page, 'pre.json', ['Safe body text here', 'mail/invoice', 'title', 'body']);
    expect(strings.length).toBeGreaterThanOrEqual(4);
    expect(strings.filter((i) => !i.alone || i.unicodeBidi !== 'isolate')).toEqual([]);

    await page.locator('.event-row', { hasText: 'done' }).click();
    const stream = page.locator('.facts dd', { hasText: 'ended:' });
    await expectInOrder(page, '.facts', 'ended:', 'failed');
    expect(await stream.textContent()).toBe('ended: failed, exit code 1, 1.0 s: done \\u202eerht');
    expect(await isolation(page, '.facts dd, .ended-banner .banner-result, .topic-state', ['done \\u202eerht'])).toEqual([
      { text: 'done \\u202eerht', alone: true, unicodeBidi: 'isolate' },
      { text: 'done \\u202eerht', alone: true, unicodeBidi: 'isolate' },
      { text: 'done \\u202eerht', alone: true, unicodeBidi: 'isolate' },
    ]);
  });
});
