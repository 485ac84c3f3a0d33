// The web dashboard: `herald serve` serves the history window's UI (built by
// scripts/build-renderer.ts into dist/renderer/) at `/`, where it talks to this same
// server over HTTP and SSE (renderer/bridge/web-bridge.ts).
//
// Login: a server with a token sends a browser without a session to `/login`, a form
// that POSTs the token and gets back a session cookie: an HttpOnly, SameSite=Strict
// cookie holding a random session id, never the token (server/http/auth.ts,
// server/http/session-cookie.ts). So the token is never in a URL (URLs end up in
// logs, history and Referer headers) nor in a cookie (which every server on the same
// host receives); page scripts cannot read the session id, and other sites cannot
// make the browser send it. Wrong tokens count against the client's address like
// any failed authentication (server/http/auth-failures.ts).
//
// Every page is sent with a strict Content-Security-Policy: scripts, styles and
// connections from this origin only, no inline code, no framing.

import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeraldPlugin } from '../../plugin.ts';
import { HeraldError } from '../../protocol/errors.ts';
import { appendSetCookie, type Authenticator } from '../auth.ts';
import { clearedLegacyCookie } from '../session-cookie.ts';
import { mediaType, readBody } from '../request-body.ts';
import type { Route } from '../router.ts';
import { loginPage } from './login-page.ts';

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: under it a browser sends `Origin: null` with the page's own POSTs
  // (Fetch standard, "serializing a request origin"), which the server's origin check
  // (host-check.ts) rightly refuses. same-origin still tells other sites nothing.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** The built files the dashboard serves, by URL path. Nothing else in the folder is reachable. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

const LOGIN_BODY_LIMIT = 4096;

export interface DashboardOptions {
  /** Folder holding the built UI (default: $HERALD_DASHBOARD_DIR, else dist/renderer/). */
  dir?: string;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...PAGE_HEADERS, ...headers });
  res.end(body);
}

function redirect(res: ServerResponse, location: string): void {
  // 303: the follow-up request is a GET whatever the method was (RFC 9110, 15.4.4).
  res.writeHead(303, { Location: location, 'Content-Length': 0, ...PAGE_HEADERS });
  res.end();
}

export function dashboardRoutes(options: { auth: Authenticator; dir: string }): Route[] {
  const { auth } = options;
  const readBuilt = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(join(options.dir, file));
    } catch {
      throw new HeraldError('unavailable', `the dashboard is not built (no ${file} in ${options.dir}): run "npm run build:renderer"`);
    }
  };
  const loginForm = (res: ServerResponse, status: number, problem: string | null, headers: Record<string, string> = {}): void =>
    send(res, status, 'text/html; charset=utf-8', loginPage(problem), headers);

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/',
      auth: 'none',
      async handle({ req, res }) {
        appendSetCookie(res, clearedLegacyCookie(req));
        if (!(await auth.signedIn(req, res))) return redirect(res, '/login');
        send(res, 200, 'text/html; charset=utf-8', await readBuilt('index.html'));
      },
    },
    {
      method: 'GET',
      path: '/login',
      auth: 'none',
      async handle({ req, res }) {
        appendSetCookie(res, clearedLegacyCookie(req));
        if (!auth.required || (await auth.signedIn(req, res))) return redirect(res, '/');
        loginForm(res, 200, null);
      },
    },
    {
      method: 'POST',
      path: '/login',
      auth: 'none',
      async handle({ req, res }) {
        if (!auth.required) return redirect(res, '/');
        if (mediaType(req) !== 'application/x-www-form-urlencoded') {
          throw new HeraldError('unsupported_media_type', `expected the login form (application/x-www-form-urlencoded), got ${JSON.stringify(mediaType(req) || 'no content type')}`);
        }
        const form = new URLSearchParams((await readBody(req, LOGIN_BODY_LIMIT)).toString('utf8'));
        const presented = form.get('token')?.trim() ?? '';
        if (presented === '') return loginForm(res, 401, 'Enter the server’s token.');
        let cookies: string[] | null;
        try {
          cookies = await auth.login(req, presented);
        } catch (error) {
          if (!(error instanceof HeraldError) || error.code !== 'rate_limited') throw error;
          const seconds = Math.max(1, Math.ceil(error.retryAfterSec ?? 1));
          return loginForm(res, 429, `Too many wrong tokens from this address. Try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
        }
        if (cookies === null) return loginForm(res, 401, 'That is not this server’s token.');
        appendSetCookie(res, cookies);
        redirect(res, '/');
      },
    },
    {
      method: 'POST',
      path: '/logout',
      auth: 'none',
      async handle({ req, res }) {
        appendSetCookie(res, await auth.logout(req));
        redirect(res, auth.required ? '/login' : '/');
      },
    },
  ];
  for (const [path, asset] of Object.entries(ASSETS)) {
    routes.push({
      method: 'GET',
      path,
      // The UI's code is not secret (it is this repository's renderer/); the data is.
      auth: 'none',
      async handle({ res }) {
        send(res, 200, asset.type, await readBuilt(asset.file), { 'Cache-Control': 'no-cache' });
      },
    });
  }
  return routes;
}

/** The dashboard as a server plugin (in `standardPlugins`, so `herald serve` has it). */
export function dashboardPlugin(options: DashboardOptions = {}): HeraldPlugin {
  return ({ auth }) => ({
    routes: dashboardRoutes({ auth, dir: options.dir ?? (process.env['HERALD_DASHBOARD_DIR'] || DEFAULT_DASHBOARD_DIR) }),
  });
}
