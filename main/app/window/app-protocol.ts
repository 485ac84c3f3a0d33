// Serves the built history window (dist/renderer/) for the app:// scheme. Electron's
// `protocol.handle(scheme, handler)` takes exactly this shape, a function from a
// fetch Request to a Response, so the handler runs and is tested under plain Node.
// Only files inside the renderer folder are served, with the window's CSP.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';
import { WINDOW_RESPONSE_HEADERS } from './content-security-policy.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { ...WINDOW_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** The file under `root` that `pathname` names, or null when it would leave `root`. */
export function resolveAppFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const wanted = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(root, wanted);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return refuse(404, `expected a URL of ${APP_SCHEME}://${APP_HOST}/, got ${url.protocol}//${url.host}`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, `expected GET or HEAD, got ${request.method}`);
    }
    const file = resolveAppFile(root, url.pathname);
    if (file === null) return refuse(404, `no such file in the app: ${url.pathname}`);
    try {
      const info = await stat(file);
      const target = info.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(target);
      const headers = {
        ...WINDOW_RESPONSE_HEADERS,
        'Content-Type': CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
      };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch {
      return refuse(404, `no such file in the app: ${url.pathname}`);
    }
  };
}
