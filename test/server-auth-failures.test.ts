// Guessing the token against a real server. Every failed authentication counts
// against the client's address, whatever it presented (a Bearer header, a session
// cookie, the login form) and from loopback too; after a few, the address is
// answered 429 with Retry-After, unchecked, for a wait that doubles. Clients at other
// addresses, and browsers already signed in, carry on.
//
// The server listens on this machine's own non-loopback address, so that requests
// can come from two addresses (127.0.0.1 and that one) without leaving the machine.

import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthFailureOptions } from '../server/http/auth-failures.ts';
import { dashboardPlugin } from '../server/http/routes/dashboard.ts';
import { makeTempDir, removeDirs } from './dashboard-support.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';

const TOKEN = 'correct-horse-battery-staple';
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
if (outside === undefined) console.warn('skipped: this machine has no non-loopback IPv4 address to tell two clients apart');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Answer {
  status: number;
  retryAfter: number | null;
  location: string | undefined;
  setCookie: string[];
  text: string;
}

async function start(authFailures: Partial<AuthFailureOptions> = {}): Promise<{ server: TestServer; send: typeof send }> {
  const dir = await makeTempDir('auth-failures');
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Herald</title>');
  const server = await startTestServer({ host: outside!, token: TOKEN, authFailures, plugins: [dashboardPlugin({ dir })] });
  const agents = new Map<string, Agent>();
  cleanups.push(async () => {
    for (const agent of agents.values()) agent.destroy();
    await server.close();
    await removeDirs(dir);
  });
  const { port } = new URL(server.url);
  // One keep-alive connection pool per source address.
  function send(from: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    let agent = agents.get(from);
    if (agent === undefined) agents.set(from, (agent = new Agent({ keepAlive: true, maxSockets: 4 })));
    return new Promise((resolve, reject) => {
      const req = request({ host: outside, port, path, localAddress: from, agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] === undefined ? null : Number(res.headers['retry-after']),
            location: res.headers.location,
            setCookie: res.headers['set-cookie'] ?? [],
            text,
          }),
        );
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }
  return { server, send };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const publish = (token: string) => ({ method: 'POST', headers: { ...bearer(token), 'Content-Type': 'text/plain' }, body: 'hello' });
const loginForm = (token: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }).toString(),
});

describe.skipIf(outside === undefined)('failed authentications', () => {
  it('stop a guesser on loopback after a few tries, with 429 and Retry-After, out of the box', async () => {
    const { send } = await start();
    const answers: Answer[] = [];
    for (let i = 0; i < 200; i++) answers.push(await send('127.0.0.1', '/topics/guess', publish(`guess-${i}`)));
    const checked = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429);
    // 5 free failures, then waits of 1, 2, 4, 8 s...: 200 quick tries get only a handful checked.
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(checked).toBeLessThanOrEqual(10);
    expect(refused.length).toBe(200 - checked);
    for (const answer of refused) {
      expect(answer.retryAfter).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(answer.text)).toEqual({ code: 'rate_limited', error: expect.stringMatching(/^expected at most 5 failed authentications from one address before a pause, got \d+; retry in \d+ s$/) });
    }
  });

  it('count every kind of credential together, and make the wait longer after each failure', async () => {
    const { server, send } = await start({ firstDelayMs: 4000 });
    const unknownSession = `herald_session_${new URL(server.url).port}=${'A'.repeat(43)}`;
    // A wrong token, a header that is not Bearer, the login form twice, a session this server never issued.
    expect((await send('127.0.0.1', '/topics', { headers: bearer('wrong') })).status).toBe(401);
    expect((await send('127.0.0.1', '/events?topics=a', { headers: { Authorization: 'Basic d3Jvbmc=' } })).status).toBe(401);
    expect((await send('127.0.0.1', '/login', loginForm('wrong'))).status).toBe(401);
    expect((await send('127.0.0.1', '/login', loginForm('still-wrong'))).status).toBe(401);
    const stale = await send('127.0.0.1', '/topics', { headers: { Cookie: unknownSession } });
    expect(stale.status).toBe(401);
    // The browser is told to forget it, so a stale cookie costs one failure, not one per request.
    expect(stale.setCookie).toEqual([expect.stringMatching(/^herald_session_\d+=; .*Max-Age=0/)]);
    // The sixth failure is checked and starts the first wait.
    expect((await send('127.0.0.1', '/topics', { headers: bearer('wrong') })).status).toBe(401);
    const first = await send('127.0.0.1', '/login', loginForm(TOKEN));
    expect(first.status).toBe(429);
    expect(first.text).toMatch(/Too many wrong tokens from this address\. Try again in [1-4] s\./);
    expect(first.setCookie).toEqual([]);
    expect(first.retryAfter).toBeGreaterThanOrEqual(1);
    expect(first.retryAfter).toBeLessThanOrEqual(4);
    // Even the right token waits: while the address waits, nothing it sends is checked.
    expect((await send('127.0.0.1', '/topics', { headers: bearer(TOKEN) })).status).toBe(429);
    // Another loopback address is the same local client.
    expect((await send('127.0.0.2', '/topics', { headers: bearer('wrong') })).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, first.retryAfter! * 1000));
    expect((await send('127.0.0.1', '/topics', { headers: bearer('wrong') })).status).toBe(401);
    const second = await send('127.0.0.1', '/topics', { headers: bearer('wrong') });
    expect(second.status).toBe(429);
    expect(second.retryAfter).toBeGreaterThan(4);
    expect(second.retryAfter).toBeLessThanOrEqual(8);
  });

  it('leave other addresses and signed-in browsers alone', async () => {
    const { send } = await start({ firstDelayMs: 60_000 });
    // A browser on loopback signs in before the guessing starts.
    const signIn = await send('127.0.0.1', '/login', loginForm(TOKEN));
    expect(signIn.status).toBe(303);
    const session = { headers: { Cookie: signIn.setCookie[0]!.split(';')[0]! } };
    for (let i = 0; i < 10; i++) await send('127.0.0.1', '/topics/x', publish(`guess-${i}`));
    expect((await send('127.0.0.1', '/topics/x', publish('guess'))).status).toBe(429);

    // Another address: the right token works, and its own wrong token is an ordinary 401.
    expect((await send(outside!, '/topics/x', publish(TOKEN))).status).toBe(201);
    expect((await send(outside!, '/topics', { headers: bearer('typo') })).status).toBe(401);
    expect((await send(outside!, '/topics', { headers: bearer(TOKEN) })).status).toBe(200);
    // The signed-in browser at the guessing address keeps its session: it cannot be guessed.
    expect((await send('127.0.0.1', '/topics', session)).status).toBe(200);
    expect((await send('127.0.0.1', '/', session)).status).toBe(200);
    // A client with no credential at all is not a guesser: it is told what is missing.
    expect((await send(outside!, '/topics')).status).toBe(401);
  });
});
