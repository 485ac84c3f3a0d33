// The dashboard of a server with a token: a login form that posts the token and gets
// an HttpOnly, SameSite=Strict session cookie back, so the token never appears in a
// URL nor in a cookie. (What other servers on the host see: dashboard-session.test.ts.)

import type { Browser, Request } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, makeTempDir, openPage, removeDirs, serve, type ServerProcess } from './dashboard-support.ts';

const TOKEN = 'correct-horse-battery-staple';
let browser: Browser;
let server: ServerProcess;
let uiDir: string;
let dataDir: string;

beforeAll(async () => {
  [uiDir, dataDir, browser] = await Promise.all([buildDashboard(), makeTempDir('dashboard-login'), launchChromium()]);
  server = await serve({ uiDir, dataDir, token: TOKEN });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await removeDirs(uiDir, dataDir);
});

describe('signing in to the dashboard', () => {
  it('sends a visitor without the token to the login form, and lets them in with it', async (ctx) => {
    const { context, page } = await openPage(browser, ctx);
    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));
    await page.goto(server.url);
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That is not this server’s token.');
    expect(await page.getByLabel('Token').getAttribute('aria-invalid')).toBe('true');
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
    await server.publish('secure/topic', { title: 'Signed in', body: 'and streaming' });
    await page.locator('.event-row', { hasText: 'Signed in: and streaming' }).waitFor();

    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: `herald_session_${server.port}`, httpOnly: true, sameSite: 'Strict', path: '/' })]);
    expect(cookies[0]?.value).not.toContain(TOKEN);
    expect(await page.evaluate('document.cookie')).toBe('');
    // The token travels in the login form's body only, never in an address.
    expect(requests.length).toBeGreaterThan(3);
    for (const request of requests) expect(request.url()).not.toContain(TOKEN);
    const login = requests.find((r) => r.method() === 'POST' && r.url().endsWith('/login') && r.postData()?.includes(TOKEN));
    expect(login).toBeDefined();
  });

  it('signs out: the cookie is gone and the stream is refused', async (ctx) => {
    const { context, page } = await openPage(browser, ctx);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out of this dashboard' }).click();
    await page.waitForURL(`${server.url}/login`);
    expect(await context.cookies()).toEqual([]);
    const answer = await page.request.get(`${server.url}/events?topics=**`);
    expect(answer.status()).toBe(401);
  });

  it('tells a window whose session ended with a restart to sign in again, without retrying in a loop', async (ctx) => {
    const { page } = await openPage(browser, ctx);
    const url = new URL(server.url);
    // Sign in, then restart the server: its sessions were in memory, so this one has ended.
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toContain('live');
    let streams = 0;
    page.on('request', (r) => {
      if (r.url().includes('/events?')) streams++;
    });
    await server.stop();
    server = await serve({ uiDir, dataDir, token: TOKEN, port: Number(url.port) });
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: 20_000 }).toContain('sign in again');
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    const after = streams;
    await page.waitForTimeout(1500);
    expect(streams).toBe(after);
  });
});
