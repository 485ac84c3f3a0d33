// Browser pages on other origins against the loopback server: DNS rebinding (a page
// whose own name now resolves to 127.0.0.1) and "simple" cross-origin requests that
// a browser sends without a preflight. Checked with raw requests carrying exactly the
// headers a browser sends, and once with real Chromium, whose --host-resolver-rules
// flag makes a foreign name resolve to 127.0.0.1 the way a rebinding attack does.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { chromium } from 'playwright';
import { rawRequest, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';
import { CHROMIUM_ARGS } from './dashboard-support.ts';
import { createRequestHandler } from '../server/http/request-handler.ts';
import { createHttpServer } from '../server/http/http-server.ts';
import { Router } from '../server/http/router.ts';
import { createTokenCheck } from '../server/http/auth.ts';
import { sendJson } from '../server/http/respond.ts';
import { DEFAULT_LIMITS } from '../server/server-limits.ts';

let server: TestServer | undefined;
let other: Server | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  other = undefined;
  await server?.close();
  server = undefined;
});

describe('Host header on the loopback server (DNS rebinding)', () => {
  it('refuses a request whose Host is a foreign name with 403 saying why, and publishes nothing', async () => {
    server = await startTestServer();
    const health = await rawRequest(`${server.url}/health`, { headers: { Host: `attacker.example:${server.server.port}` } });
    expect(health.status).toBe(403);
    expect(health.body).toEqual({ code: 'forbidden', error: expect.stringMatching(/expected a Host of localhost, 127\.0\.0\.1 or \[::1\].*DNS rebinding/) });
    const publish = await rawRequest(`${server.url}/topics/a`, {
      method: 'POST',
      headers: { Host: 'attacker.example', 'Content-Type': 'text/plain' },
      body: 'pwned',
    });
    expect(publish.status).toBe(403);
    expect(await server.server.log.lastId()).toBeNull();
  });

  it('accepts localhost, 127.0.0.1 and [::1] with any port, in any case', async () => {
    server = await startTestServer();
    for (const host of ['localhost', 'LOCALHOST:1', '127.0.0.1', `127.0.0.1:${server.server.port}`, '[::1]:9', '127.0.0.2:80']) {
      const answer = await rawRequest(`${server.url}/health`, { headers: { Host: host } });
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
  });

  it('accepts the configured names of a reverse proxy, and still refuses others', async () => {
    // Only the request handler takes allowed hosts; a one-route server is enough to see it.
    const router = new Router([{ method: 'GET', path: '/health', auth: 'none', handle: ({ res }) => sendJson(res, 200, { ok: true }) }]);
    const handler = createRequestHandler({ router, checkToken: createTokenCheck(undefined), limits: { allowedHosts: ['Herald.Example.org'] } });
    other = createHttpServer(handler, DEFAULT_LIMITS);
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    expect((await rawRequest(`${url}/health`, { headers: { Host: 'herald.example.org' } })).status).toBe(200);
    expect((await rawRequest(`${url}/health`, { headers: { Host: 'herald.example.org', Origin: 'https://herald.example.org' } })).status).toBe(200);
    expect((await rawRequest(`${url}/health`, { headers: { Host: 'evil.example.org' } })).status).toBe(403);
  });
});

describe('Origin header (cross-origin pages)', () => {
  it('refuses a tokenless text/plain POST from another origin, the request a page can send without preflight', async () => {
    server = await startTestServer();
    for (const origin of ['https://evil.example', `http://localhost:${server.server.port + 1}`, 'null', 'file://']) {
      const answer = await rawRequest(`${server.url}/topics/a`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'text/plain' },
        body: 'pwned',
      });
      expect({ origin, status: answer.status, code: answer.body?.code }).toEqual({ origin, status: 403, code: 'forbidden' });
    }
    expect(await server.server.log.lastId()).toBeNull();
  });

  it("accepts the server's own origin (the dashboard) and requests without an Origin (curl, herald, Node)", async () => {
    server = await startTestServer();
    const own = await rawRequest(`${server.url}/topics/a`, {
      method: 'POST',
      headers: { Origin: server.url, 'Content-Type': 'text/plain' },
      body: 'from the dashboard',
    });
    expect(own.status).toBe(201);
    expect((await server.publish('a', 'from a script')).status).toBe(201);
  });

  it('sends no Access-Control-Allow-Origin, so other origins cannot read any answer', async () => {
    server = await startTestServer();
    const answer = await rawRequest(`${server.url}/topics`, { headers: { Origin: server.url } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await rawRequest(`${server.url}/topics/a`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('in real Chromium', () => {
  it('a page on another origin cannot publish, and a rebound name cannot reach the server', async () => {
    server = await startTestServer();
    const seen: Array<{ origin: string | undefined; host: string | undefined }> = [];
    server.server.http.on('request', (req) => seen.push({ origin: req.headers.origin, host: req.headers.host }));
    const heraldPort = server.server.port;
    // The attacker's page, on its own port (another origin).
    other = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<script>fetch('http://127.0.0.1:${heraldPort}/topics/pwned', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: 'from evil' }).finally(() => { document.title = 'sent'; });</script>`);
    });
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    const evilPort = (other.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebound.test 127.0.0.1'],
    });
    const page = await browser.newPage();
    await page.goto(`http://evil.test:${evilPort}/`);
    await page.waitForFunction('document.title === "sent"');
    await waitUntil(() => seen.some((r) => r.origin !== undefined), () => `Chromium's POST never arrived: ${JSON.stringify(seen)}`);
    expect(seen).toContainEqual({ origin: `http://evil.test:${evilPort}`, host: `127.0.0.1:${heraldPort}` });
    expect(await server.server.log.lastId()).toBeNull();

    // Rebinding: the browser believes rebound.test is its page's own site and sends that name.
    const response = await page.goto(`http://rebound.test:${heraldPort}/topics`);
    expect(response?.status()).toBe(403);
    expect(JSON.parse(await response!.text())).toMatchObject({ code: 'forbidden' });
  });
});
