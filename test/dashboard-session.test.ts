// What the dashboard's cookie gives away. Browsers do not scope cookies by port, so
// after signing in to Herald on 127.0.0.1, Chromium sends the cookie to every other
// server on 127.0.0.1 too. A bystander server here records what it receives: it must
// not be the token (which would let it publish and start jobs for good), only a
// session id that signing out or a restart ends, streams opened with it included.
// Two Herald servers on one host keep a session each.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawStream, rawRequest } from './support/herald-test-server.ts';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

const TOKEN = 'bystander-must-not-see-this';
const OTHER_TOKEN = 'the-second-servers-token';
let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;
let bystander: Server;
let bystanderUrl: string;
const received: string[] = [];

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-session'), launchChromium()]);
  server = await serve({ uiDir, dataDir, token: TOKEN });
  bystander = createServer((req, res) => {
    if (req.url === '/') received.push(req.headers.cookie ?? '');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>another local server</title>');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  bystanderUrl = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => bystander?.close(resolve));
  await removeDirs(uiDir, dataDir);
});

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/`);
  await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
}

/** The Cookie header Chromium sends to the bystander on another port of 127.0.0.1. */
async function whatTheBystanderGets(page: Page): Promise<string> {
  received.length = 0;
  await page.goto(bystanderUrl);
  expect(received).toHaveLength(1);
  return received[0]!;
}

function cookieValues(header: string): string[] {
  return header.split(';').map((part) => part.slice(part.indexOf('=') + 1).trim()).filter((v) => v !== '');
}

describe('the dashboard cookie, seen from another server on the host', () => {
  it('is a session id, not the token, and signing out ends it and the streams it opened', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await signIn(page, server.url, TOKEN);
    const cookie = await whatTheBystanderGets(page);
    // Chromium does send it: cookies are not scoped by port.
    expect(cookie).toMatch(new RegExp(`^herald_session_${server.port}=[A-Za-z0-9_-]{43}$`));
    expect(cookie).not.toContain(TOKEN);
    expect(cookie).not.toContain(encodeURIComponent(TOKEN));
    // Nothing in it works as the token.
    for (const value of cookieValues(cookie)) {
      const publish = await rawRequest(`${server.url}/topics/stolen`, { method: 'POST', headers: { Authorization: `Bearer ${value}`, 'Content-Type': 'text/plain' }, body: 'x' });
      expect(publish.status).toBe(401);
    }
    // While the user is signed in it is their session; someone who copied it opens a stream.
    expect((await rawRequest(`${server.url}/topics`, { headers: { Cookie: cookie } })).status).toBe(200);
    const copied = await openRawStream(`${server.url}/events?topics=**`, { Cookie: cookie });
    expect(copied.status).toBe(200);

    await page.goto(server.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out of this dashboard' }).click();
    await page.waitForURL(`${server.url}/login`);

    await copied.ended;
    const after = await rawRequest(`${server.url}/topics`, { headers: { Cookie: cookie } });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/^expected a live dashboard session, got one that has ended/);
    expect((await rawRequest(`${server.url}/`, { headers: { Cookie: cookie } })).headers.location).toBe('/login');
    expect(await whatTheBystanderGets(page)).toBe('');
  });

  it('stops working when the server restarts', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    await signIn(page, server.url, TOKEN);
    const cookie = await whatTheBystanderGets(page);
    expect((await rawRequest(`${server.url}/topics`, { headers: { Cookie: cookie } })).status).toBe(200);
    await server.stop();
    server = await serve({ uiDir, dataDir, token: TOKEN, port: server.port });
    expect((await rawRequest(`${server.url}/topics`, { headers: { Cookie: cookie } })).status).toBe(401);
    await page.goto(server.url);
    await page.waitForURL(`${server.url}/login`);
  });

  it('lets two Herald servers on one host keep a session each', async (ctx) => {
    const otherDir = await makeTempDir('dashboard-session-other');
    const other = await serve({ uiDir, dataDir: otherDir, token: OTHER_TOKEN });
    try {
      const { context, page } = await openPage(browser, ctx);
      await signIn(page, server.url, TOKEN);
      await signIn(page, other.url, OTHER_TOKEN);
      const names = (await context.cookies()).map((c) => c.name).sort();
      expect(names).toEqual([`herald_session_${other.port}`, `herald_session_${server.port}`].sort());
      // Signed in to the second, still signed in to the first.
      expect((await page.request.get(`${server.url}/topics`)).status()).toBe(200);
      expect((await page.request.get(`${other.url}/topics`)).status()).toBe(200);
      await page.goto(server.url);
      await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
    } finally {
      await other.stop();
      await removeDirs(otherDir);
    }
  });
});
