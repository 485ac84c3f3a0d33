// The dashboard's HTTP side against a real server: pages and assets with their
// headers, the login form and its session cookie, sign-out, and what happens when the
// UI has not been built. (The browser side is in the other dashboard-*.test.ts files.)

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthFailureOptions } from '../server/http/auth-failures.ts';
import { DASHBOARD_CSP, dashboardPlugin } from '../server/http/routes/dashboard.ts';
import { rawRequest, startTestServer, type TestServer } from './support/herald-test-server.ts';
import { makeTempDir, removeDirs } from './dashboard-support.ts';

const TOKEN = 's3cret-token';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake build: the routes serve files, whatever they hold. */
async function fakeBuild(): Promise<string> {
  const dir = await makeTempDir('dashboard-routes');
  cleanups.push(() => removeDirs(dir));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Herald</title>');
  await writeFile(join(dir, 'app.js'), 'console.log("herald")');
  await writeFile(join(dir, 'app.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'not for the web');
  return dir;
}

async function start(options: { dir: string; token?: string; authFailures?: Partial<AuthFailureOptions>; maxSessions?: number }): Promise<TestServer> {
  const server = await startTestServer({
    ...(options.token ? { token: options.token } : {}),
    ...(options.authFailures ? { authFailures: options.authFailures } : {}),
    ...(options.maxSessions ? { sessions: { maxSessions: options.maxSessions } } : {}),
    plugins: [dashboardPlugin({ dir: options.dir })],
  });
  cleanups.push(() => server.close());
  return server;
}

const form = (token: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }).toString(),
});

describe('the dashboard routes', () => {
  it('serve the page with a strict CSP and only the built assets', async () => {
    const server = await start({ dir: await fakeBuild() });
    const page = await rawRequest(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
    expect(page.headers['x-frame-options']).toBe('DENY');
    // same-origin, not no-referrer: the page's own POSTs must carry its Origin (the server refuses `Origin: null`).
    expect(page.headers['referrer-policy']).toBe('same-origin');
    const script = await rawRequest(`${server.url}/app.js`);
    expect([script.status, script.headers['content-type'], script.text]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("herald")']);
    expect((await rawRequest(`${server.url}/secret.txt`)).status).toBe(404);
    expect((await rawRequest(`${server.url}/..%2Fpackage.json`)).status).toBe(404);
  });

  it('say how to build the UI when it is missing, instead of failing obscurely', async () => {
    const dir = await makeTempDir('dashboard-empty');
    cleanups.push(() => removeDirs(dir));
    const server = await start({ dir });
    const page = await rawRequest(`${server.url}/`);
    expect(page.status).toBe(503);
    expect(page.body.error).toMatch(/the dashboard is not built .* run "npm run build:renderer"/);
  });

  it('send a browser without the token to the login form, and sign it in with a session cookie', async () => {
    const server = await start({ dir: await fakeBuild(), token: TOKEN });
    const page = await rawRequest(`${server.url}/`);
    expect([page.status, page.headers.location]).toEqual([303, '/login']);
    const login = await rawRequest(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(login.text).toMatch(/<form method="post" action="\/login"/);
    expect(login.headers['content-security-policy']).toBe(DASHBOARD_CSP);

    const wrong = await rawRequest(`${server.url}/login`, form('guess'));
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That is not this server’s token.');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const right = await rawRequest(`${server.url}/login`, form(TOKEN));
    expect([right.status, right.headers.location]).toEqual([303, '/']);
    const cookie = right.headers['set-cookie']?.[0] ?? '';
    const port = new URL(server.url).port;
    expect(cookie).toMatch(new RegExp(`^herald_session_${port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800$`));
    expect(cookie).not.toContain(TOKEN);
    const session = { headers: { Cookie: cookie.split(';')[0]! } };
    expect((await rawRequest(`${server.url}/`, session)).status).toBe(200);
    expect((await rawRequest(`${server.url}/topics`, session)).status).toBe(200);
    expect((await rawRequest(`${server.url}/login`, session)).headers.location).toBe('/');

    const out = await rawRequest(`${server.url}/logout`, { method: 'POST', ...session });
    expect([out.status, out.headers.location]).toEqual([303, '/login']);
    expect(out.headers['set-cookie']?.[0]).toMatch(new RegExp(`^herald_session_${port}=; .*Max-Age=0`));
    expect((await rawRequest(`${server.url}/topics`, session)).status).toBe(401);
    expect((await rawRequest(`${server.url}/`, session)).headers.location).toBe('/login');
  });

  it('refuse a login that is not the form, and slow down guessing', async () => {
    const server = await start({ dir: await fakeBuild(), token: TOKEN, authFailures: { freeFailures: 0, firstDelayMs: 60_000 } });
    const json = await rawRequest(`${server.url}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    expect(json.status).toBe(415);
    expect(json.body.error).toMatch(/expected the login form \(application\/x-www-form-urlencoded\), got "application\/json"/);
    expect((await rawRequest(`${server.url}/login`, form('guess'))).status).toBe(401);
    const limited = await rawRequest(`${server.url}/login`, form(TOKEN));
    expect(limited.status).toBe(429);
    expect(limited.text).toMatch(/Too many wrong tokens from this address\. Try again in \d+ s\./);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
  });

  it('keep a bounded number of sessions however often a browser signs in: the oldest end first', async () => {
    const server = await start({ dir: await fakeBuild(), token: TOKEN, maxSessions: 5 });
    const sessions: string[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await rawRequest(`${server.url}/login`, form(TOKEN));
      sessions.push(answer.headers['set-cookie']![0]!.split(';')[0]!);
    }
    expect(new Set(sessions).size).toBe(40);
    const statuses = [];
    for (const cookie of sessions) statuses.push((await rawRequest(`${server.url}/topics`, { headers: { Cookie: cookie } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(-5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('delete the old token cookie wherever it still turns up, and do not accept it', async () => {
    const server = await start({ dir: await fakeBuild(), token: TOKEN });
    const legacy = { headers: { Cookie: `herald_token=${TOKEN}` } };
    expect((await rawRequest(`${server.url}/topics`, legacy)).status).toBe(401);
    const page = await rawRequest(`${server.url}/`, legacy);
    expect(page.headers.location).toBe('/login');
    expect(page.headers['set-cookie']).toEqual([expect.stringMatching(/^herald_token=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/)]);
    const signIn = await rawRequest(`${server.url}/login`, { ...form(TOKEN), headers: { ...form(TOKEN).headers, ...legacy.headers } });
    expect(signIn.headers['set-cookie']).toEqual([expect.stringMatching(/^herald_session_\d+=/), expect.stringMatching(/^herald_token=; .*Max-Age=0$/)]);
  });

  it('skip the login when the server has no token', async () => {
    const server = await start({ dir: await fakeBuild() });
    expect((await rawRequest(`${server.url}/login`)).headers.location).toBe('/');
    expect((await rawRequest(`${server.url}/login`, form('anything'))).headers.location).toBe('/');
  });

  // That `herald serve` has them (standardPlugins) is shown by the browser tests, which start it.
  it('read the build folder from HERALD_DASHBOARD_DIR when no folder is given', async () => {
    const dir = await fakeBuild();
    const previous = process.env['HERALD_DASHBOARD_DIR'];
    process.env['HERALD_DASHBOARD_DIR'] = dir;
    cleanups.push(async () => {
      if (previous === undefined) delete process.env['HERALD_DASHBOARD_DIR'];
      else process.env['HERALD_DASHBOARD_DIR'] = previous;
    });
    const server = await startTestServer({ plugins: [dashboardPlugin()] });
    cleanups.push(() => server.close());
    expect((await rawRequest(`${server.url}/`)).text).toBe('<!doctype html><title>Herald</title>');
  });
});
