// What every webhook route shares: its dependencies, reading the body (a size limit
// and a deadline, as for publish, but a larger default: senders post whole
// documents), parsing it as a JSON object, and the secret or token check.

import type { IncomingMessage } from 'node:http';
import { HeraldError, describeValue } from '../protocol/errors.ts';
import type { Clock } from '../protocol/clock.ts';
import type { EventLog } from '../store/event-log.ts';
import type { PublishService } from '../core/publish-service.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Authenticator } from '../http/auth.ts';
import { checkBodyEncoding, mediaType, readBody } from '../http/request-body.ts';
import { bodyText } from '../http/publish-request.ts';
import { isPlainObject } from '../protocol/event-validation.ts';
import type { HeraldMetrics, HookResult } from './metrics/herald-metrics.ts';
import { secretMatches, signatureMatches } from './signature.ts';
import type { Serial } from './serial.ts';
import type { Route, RouteAuth, RouteContext } from '../http/router.ts';

export interface HookDeps {
  publisher: PublishService;
  log: EventLog;
  clock: Clock;
  rateLimiter: RateLimiter;
  auth: Authenticator;
  maxBodyBytes: number;
  bodyTimeoutMs?: number;
  /** The webhooks that read a topic's state before publishing run one at a time. */
  serial: Serial;
  metrics: HeraldMetrics | null;
}

export type BodyForm = 'json' | 'form';

/**
 * The raw body and how it is encoded: JSON (`application/json`, or no type), or an
 * HTML form (`application/x-www-form-urlencoded`, GitHub's default and curl's `-d`).
 * Anything else is 415; a body over the limit 413; a compressed one 415.
 */
export async function readHookBody(req: IncomingMessage, deps: HookDeps): Promise<{ raw: Buffer; form: BodyForm }> {
  const type = mediaType(req);
  let form: BodyForm;
  if (type === 'application/json' || type === '' || type === 'text/plain') form = 'json';
  else if (type === 'application/x-www-form-urlencoded') form = 'form';
  else throw new HeraldError('unsupported_media_type', `expected Content-Type application/json (or application/x-www-form-urlencoded), got ${type.slice(0, 80)}`);
  checkBodyEncoding(req);
  const raw = await readBody(req, deps.maxBodyBytes, { clock: deps.clock, timeoutMs: deps.bodyTimeoutMs });
  return { raw, form };
}

/** `text` as a JSON object, or 400 saying what arrived. */
export function parseJsonObject(text: string, what = 'a JSON object'): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HeraldError('bad_json', `expected ${what}, got invalid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new HeraldError('bad_json', `expected ${what}, got ${describeValue(parsed)}`);
  return parsed;
}

/**
 * The body as a JSON object. A form body is its fields, except that a form holding
 * JSON (GitHub's `payload=`, or curl `-d '{...}'` without a Content-Type) is that JSON.
 */
export function bodyObject(raw: Buffer, form: BodyForm, what?: string): Record<string, unknown> {
  const text = bodyText(raw);
  if (form === 'json') return parseJsonObject(text, what);
  if (text.trimStart().startsWith('{')) return parseJsonObject(text, what);
  const fields = new URLSearchParams(text);
  const payload = fields.get('payload');
  if (payload !== null) return parseJsonObject(payload, what);
  const object: Record<string, unknown> = {};
  for (const [key, value] of fields) object[key] = value;
  return object;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A webhook with a secret: the request must prove it, by an HMAC-SHA256 of the raw
 * body in `header` or by the secret itself in it. Wrong or missing is 401, counted
 * against the client's address like a wrong token (server/http/auth-failures.ts).
 */
export function checkSecret(
  req: IncomingMessage,
  raw: Buffer,
  deps: Pick<HookDeps, 'auth'>,
  check: { kind: 'signature' | 'shared-secret'; secret: string; header: string },
): void {
  const address = req.socket.remoteAddress ?? 'unknown';
  deps.auth.failures.assertMayTry(address);
  const presented = headerValue(req, check.header);
  const ok = presented !== undefined && (check.kind === 'signature' ? signatureMatches(raw, check.secret, presented) : secretMatches(check.secret, presented));
  if (ok) return;
  deps.auth.failures.recordFailure(address);
  const what = check.kind === 'signature' ? 'the HMAC-SHA256 signature of the body made with the webhook\'s secret' : 'the webhook\'s secret';
  throw new HeraldError('unauthorized', presented === undefined
    ? `expected ${what} in the ${check.header} header, got no such header`
    : `expected ${what} in the ${check.header} header, got one that does not match`);
}

/**
 * A webhook's route: the handler answers and says what it did, which is counted for
 * GET /metrics (a request that fails counts as refused).
 */
export function hookRoute(
  deps: Pick<HookDeps, 'metrics'>,
  route: { path: string; auth: RouteAuth; hook: (ctx: RouteContext) => string | null },
  handle: (ctx: RouteContext) => Promise<HookResult>,
): Route {
  return {
    method: 'POST',
    path: route.path,
    auth: route.auth,
    async handle(ctx) {
      let result: HookResult = 'refused';
      try {
        result = await handle(ctx);
      } finally {
        // An unknown hook name is not counted: a client could make up any number of them.
        const hook = route.hook(ctx);
        if (hook !== null) deps.metrics?.hookRequest(hook, result);
      }
    },
  };
}
