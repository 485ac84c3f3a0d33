// The web dashboard: `herald serve` serves the history window's UI (built by
// scripts/build-renderer.ts into dist/renderer/) at `/`, where it talks to this same
// server over HTTP and SSE (renderer/bridge/web-bridge.ts).
//
// Login: a server with a token sends a browser without a valid token to `/login`, a
// form that POSTs the token and gets it back as an HttpOnly, SameSite=Strict cookie
// `herald_token` (server/http/auth.ts accepts it like the bearer header). So the token
// is never in a URL (URLs end up in logs, history and Referer headers), page scripts
// cannot read it, and other sites cannot make the browser send it.
//
// Every page is sent with a strict Content-Security-Policy: scripts, styles and
// connections from this origin only, no inline code, no framing.

import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeraldPlugin } from '../../plugin.ts';
import { HeraldError } from '../../protocol/errors.ts';
import { createTokenCheck, TOKEN_COOKIE, tokensMatch } from '../auth.ts';
import { RateLimiter } from '../rate-limit.ts';
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

/** A cookie lasts 30 days; signing out (or a new server token) ends it sooner. */
const COOKIE_MAX_AGE_SEC = 30 * 24 * 60 * 60;
const LOGIN_BODY_LIMIT = 4096;

export interface DashboardOptions {
  /** Folder holding the built UI (default: $HERALD_DASHBOARD_DIR, else dist/renderer/). */
  dir?: string;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...PAGE_HEADERS, ...headers });
  res.end(body);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  // 303: the follow-up request is a GET whatever the method was (RFC 9110, 15.4.4).
  res.writeHead(303, { Location: location, 'Content-Length': 0, ...PAGE_HEADERS, ...headers });
  res.end();
}

function tokenCookie(req: IncomingMessage, value: string, maxAgeSec: number): string {
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true ? '; Secure' : '';
  return `${TOKEN_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure}`;
}

export function dashboardRoutes(options: { token: string | undefined; dir: string; limiter: RateLimiter }): Route[] {
  const token = options.token || undefined;
  const checkToken = createTokenCheck(token);
  const signedIn = (req: IncomingMessage): boolean => {
    try {
      checkToken(req);
      return true;
    } catch {
      return false;
    }
  };
  const readBuilt = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(join(options.dir, file));
    } catch {
      throw new HeraldError('unavailable', `the dashboard is not built (no ${file} in ${options.dir}): run "npm run build:renderer"`);
    }
  };

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/',
      auth: 'none',
      async handle({ req, res }) {
        if (!signedIn(req)) return redirect(res, '/login');
        send(res, 200, 'text/html; charset=utf-8', await readBuilt('index.html'));
      },
    },
    {
      method: 'GET',
      path: '/login',
      auth: 'none',
      handle({ req, res }) {
        if (token === undefined || signedIn(req)) return redirect(res, '/');
        send(res, 200, 'text/html; charset=utf-8', loginPage(null));
      },
    },
    {
      method: 'POST',
      path: '/login',
      auth: 'none',
      async handle({ req, res, client }) {
        if (token === undefined) return redirect(res, '/');
        options.limiter.take(client);
        if (mediaType(req) !== 'application/x-www-form-urlencoded') {
          throw new HeraldError('unsupported_media_type', `expected the login form (application/x-www-form-urlencoded), got ${JSON.stringify(mediaType(req) || 'no content type')}`);
        }
        const form = new URLSearchParams((await readBody(req, LOGIN_BODY_LIMIT)).toString('utf8'));
        const presented = form.get('token')?.trim() ?? '';
        if (presented === '' || !tokensMatch(presented, token)) {
          const message = presented === '' ? 'Enter the server’s token.' : 'That is not this server’s token.';
          return send(res, 401, 'text/html; charset=utf-8', loginPage(message));
        }
        redirect(res, '/', { 'Set-Cookie': tokenCookie(req, presented, COOKIE_MAX_AGE_SEC) });
      },
    },
    {
      method: 'POST',
      path: '/logout',
      auth: 'none',
      handle({ req, res }) {
        redirect(res, token === undefined ? '/' : '/login', { 'Set-Cookie': tokenCookie(req, '', 0) });
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
  return ({ options: server, clock }) => ({
    routes: dashboardRoutes({
      token: server.token,
      dir: options.dir ?? (process.env['HERALD_DASHBOARD_DIR'] || DEFAULT_DASHBOARD_DIR),
      // Guessing the token through the form: 10 tries at once, then one every 2 s, per
      // non-loopback client (the bearer header has the server's own limits).
      limiter: new RateLimiter({ perSec: 0.5, burst: 10, includeLoopback: false }, clock),
    }),
  });
}
