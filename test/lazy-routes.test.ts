// Routes whose code is loaded by their first request (server/http/lazy-routes.ts),
// served by a real server on port 0: loaded once however many requests arrive while
// it loads, a failed load answered as a 500 that tells the operator what failed (and
// tried again on the next request), and loaded routes that differ from the declared
// ones refused by name.

import { afterEach, describe, expect, it } from 'vitest';
import { lazyRoutes, type RouteShape } from '../server/http/lazy-routes.ts';
import type { Route } from '../server/http/router.ts';
import { sendJson } from '../server/http/respond.ts';
import { rawRequest, startTestServer, waitUntil, type TestServer } from './support/herald-test-server.ts';

const SHAPES: RouteShape[] = [
  { method: 'GET', path: '/feature/a', auth: 'none' },
  { method: 'POST', path: '/feature/:name', auth: 'none', fallback: true },
];

/** The routes the feature's code makes: each answers with its path and parameters. */
function featureRoutes(): Route[] {
  return SHAPES.map((shape) => ({ ...shape, handle: ({ res, params }) => sendJson(res, 200, { path: shape.path, params }) }));
}

/** A module that is not there, as a chunk missing from an install would be (a variable: not type-checked). */
const MISSING_MODULE: string = './support/no-such-feature-module.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(routes: Route[]): Promise<{ url: string; errors: string[] }> {
  const errors: string[] = [];
  server = await startTestServer({ routes, onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`) });
  return { url: server.url, errors };
}

describe('lazyRoutes', () => {
  it('loads the code on the first request, once for every request that comes while it loads', async () => {
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { url } = await serve(
      lazyRoutes('the feature', SHAPES, async () => {
        loads++;
        await gate;
        return featureRoutes();
      }),
    );
    expect(loads).toBe(0);
    // A route with auth 'none' is handed the request in the server's own 'request'
    // listener, so once this one has seen both, both are waiting for the load.
    let received = 0;
    server!.server.http.on('request', () => received++);
    const first = rawRequest(`${url}/feature/a`);
    const second = rawRequest(`${url}/feature/b`, { method: 'POST' });
    await waitUntil(() => received === 2, () => `the server received ${received} of 2 requests`);
    expect(loads).toBe(1);
    release();
    expect(await first).toMatchObject({ status: 200, body: { path: '/feature/a', params: {} } });
    expect(await second).toMatchObject({ status: 200, body: { path: '/feature/:name', params: { name: 'b' } } });
    expect((await rawRequest(`${url}/feature/a`)).status).toBe(200);
    expect(loads).toBe(1);
  });

  it('answers a failed load with a 500 naming what could not be loaded, and loads again on the next request', async () => {
    let loads = 0;
    const { url, errors } = await serve(
      lazyRoutes('the feature', SHAPES, async () => {
        if (loads++ === 0) await import(MISSING_MODULE);
        return featureRoutes();
      }),
    );
    const failed = await rawRequest(`${url}/feature/a`);
    expect(failed).toMatchObject({ status: 500, body: { code: 'internal' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^GET \/feature\/a: could not load the feature: .*no-such-feature-module/);
    // The server still serves, and the next request loads the code.
    expect((await rawRequest(`${url}/health`)).status).toBe(200);
    expect(await rawRequest(`${url}/feature/a`)).toMatchObject({ status: 200, body: { path: '/feature/a' } });
    expect(loads).toBe(2);
  });

  it('refuses loaded routes that are not the declared ones, saying which differ', async () => {
    const { url, errors } = await serve(
      lazyRoutes('the feature', SHAPES, async () => featureRoutes().map((route) => (route.path === '/feature/a' ? { ...route, auth: 'publish' as const } : route))),
    );
    expect((await rawRequest(`${url}/feature/a`)).status).toBe(500);
    expect(errors[0]).toContain('the feature declares the routes [GET /feature/a auth=none fallback=false, POST /feature/:name auth=none fallback=true]');
    expect(errors[0]).toContain('but its code makes [GET /feature/a auth=publish fallback=false');
  });
});
