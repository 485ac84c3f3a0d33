// The one entry point for every HTTP request: check its size and where it comes
// from, route, check the token, run the handler, and turn any failure into a JSON
// error. Nothing a client sends can throw past this function, so bad input never
// takes the process down.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeraldError } from '../protocol/errors.ts';
import { ANONYMOUS_ACCESS, type Access } from './access.ts';
import type { TokenCheck } from './auth.ts';
import { clientOf } from './client-address.ts';
import { checkHostAndOrigin } from './host-check.ts';
import { DEFAULT_LIMITS, type ServerLimits } from '../server-limits.ts';
import { sendError } from './respond.ts';
import type { Router } from './router.ts';

export interface RequestHandlerOptions {
  router: Router;
  checkToken: TokenCheck;
  /** The access of a request to a route that needs no credential (default: none at all). */
  anonymous?(): Access;
  /** URL length and allowed hosts; the defaults of server-limits.ts when left out. */
  limits?: Partial<Pick<ServerLimits, 'maxUrlBytes' | 'allowedHosts'>>;
  /** Told about failures that are not the client's fault (5xx). */
  onInternalError?(error: unknown, req: IncomingMessage): void;
}

export function createRequestHandler(options: RequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, checkToken } = options;
  const maxUrlBytes = options.limits?.maxUrlBytes ?? DEFAULT_LIMITS.maxUrlBytes;
  const allowedHosts = options.limits?.allowedHosts ?? DEFAULT_LIMITS.allowedHosts;
  return (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!(error instanceof HeraldError) || error.status >= 500) options.onInternalError?.(error, req);
      // 413 and 408: the rest of the body is not read; close the connection instead of draining it.
      const unread = error instanceof HeraldError && (error.code === 'too_large' || error.code === 'request_timeout');
      const headers: Record<string, string> = unread ? { Connection: 'close' } : {};
      try {
        sendError(res, error, headers);
      } catch {
        res.destroy();
      }
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // Node hands over the request target byte for byte (latin1), so length is bytes.
    if (target.length > maxUrlBytes) {
      throw new HeraldError('uri_too_long', `expected a request path and query of at most ${maxUrlBytes} bytes, got ${target.length}; ask for fewer topics per connection`);
    }
    checkHostAndOrigin(req, allowedHosts);
    // Route on the path as sent: URL parsing would resolve `a/../b`, and a topic
    // must be refused for that, not silently renamed.
    const pathname = target.split('?')[0]!;
    let url: URL;
    try {
      url = new URL(target, 'http://herald.invalid');
    } catch {
      throw new HeraldError('bad_request', `expected a request path, got ${JSON.stringify(target.slice(0, 80))}`);
    }
    if (!pathname.startsWith('/')) throw new HeraldError('bad_request', `expected a path starting with "/", got ${JSON.stringify(pathname.slice(0, 80))}`);
    const method = req.method ?? 'GET';
    const match = router.match(method, pathname);
    if (match.kind === 'not-found') {
      throw new HeraldError('not_found', `no route for ${method} ${pathname}; see GET /health, GET /events, POST /topics/:topic`);
    }
    if (match.kind === 'wrong-method') {
      res.setHeader('Allow', [...new Set(match.allowed)].join(', '));
      throw new HeraldError('method_not_allowed', `expected ${[...new Set(match.allowed)].join(' or ')} for ${pathname}, got ${method}`);
    }
    const access = match.route.auth === 'none' ? (options.anonymous?.() ?? ANONYMOUS_ACCESS) : await checkToken(req, res);
    await match.route.handle({ req, res, url, params: match.params, client: clientOf(req), access });
  }
}
