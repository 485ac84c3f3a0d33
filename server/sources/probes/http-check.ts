// One HTTP check: status, latency, and optionally a value found by a JSON pointer in
// the body. Uses the injected fetch (global fetch by default) with a timeout, and
// follows redirects itself so that a hop to another origin carries none of the
// configured headers (fetch drops only Authorization and Cookie there).

import type { ProbeConfig } from '../../config/config-types.ts';
import { cutWithin } from '../../protocol/graphemes.ts';
import { timeoutSignal } from '../../protocol/long-timer.ts';
import { resolvePointer } from './json-pointer.ts';
import type { ProbeReading } from './probe-reading.ts';

/** Bodies larger than this are not read (a probe watches a small answer). */
export const MAX_BODY_BYTES = 1024 * 1024;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed before an answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_HEADERS_TIMEOUT: 'no answer (headers timeout)',
};

/** Why fetch failed, in words (fetch wraps the network error in `cause`). */
function networkReason(error: unknown, timeoutSec: number): string {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError') return `no answer within ${timeoutSec}s`;
  if (name === 'AbortError') return 'check stopped';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code;
  if (code !== undefined) return NETWORK_REASONS[code] ?? code;
  return cause?.message ?? (error as Error).message;
}

/** As many as fetch follows (Fetch standard, "HTTP-redirect fetch", step 5). */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * fetch with redirects followed by hand: the configured headers go only to the
 * origin they were configured for. Method changes as fetch does it (303, and
 * 301/302 after a POST, become GET).
 */
async function fetchFollowing(
  fetcher: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; signal: AbortSignal },
): Promise<Response> {
  let target = new URL(url);
  let { method, headers } = init;
  for (let hops = 0; ; hops++) {
    const response = await fetcher(target, { method, headers, signal: init.signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (hops === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, target);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new Error(`redirected to ${next.protocol} URL, expected http: or https:`);
    }
    if (next.origin !== target.origin) headers = {};
    if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
    }
    target = next;
  }
}

async function readBounded(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function checkHttp(
  config: ProbeConfig & { http: string },
  options: { fetch: typeof fetch; signal: AbortSignal },
): Promise<ProbeReading> {
  const timeoutSec = config.timeoutSec ?? 10;
  const timeout = timeoutSignal(timeoutSec * 1000);
  const signal = AbortSignal.any([timeout.signal, options.signal]);
  const started = performance.now();
  let response: Response;
  let body: string | null = null;
  try {
    response = await fetchFollowing(options.fetch, config.http, { method: config.method ?? 'GET', headers: config.headers ?? {}, signal });
    if (config.json !== undefined) body = await readBounded(response);
    else await response.body?.cancel();
  } catch (error) {
    return { ok: false, metric: 'reachable', reason: `cannot reach ${config.http}: ${networkReason(error, timeoutSec)}` };
  } finally {
    timeout.cancel();
  }
  const latencyMs = Math.round(performance.now() - started);
  const httpStatus = response.status;
  const expected = config.expectStatus;
  if (expected !== undefined ? httpStatus !== expected : httpStatus < 200 || httpStatus > 299) {
    const wanted = expected !== undefined ? `HTTP ${expected}` : 'an HTTP 2xx status';
    return { ok: false, metric: 'status', reason: `expected ${wanted} from ${config.http}, got ${httpStatus}`, httpStatus, latencyMs };
  }
  if (config.json === undefined) return { ok: true, value: httpStatus, httpStatus, latencyMs };
  if (body === null) {
    return { ok: false, metric: 'value', reason: `the body of ${config.http} is over ${MAX_BODY_BYTES} bytes`, httpStatus, latencyMs };
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    const shown = body.length > 60 ? `${cutWithin(body, 60)}…` : body;
    return { ok: false, metric: 'value', reason: `expected a JSON body from ${config.http}, got ${JSON.stringify(shown)}`, httpStatus, latencyMs };
  }
  const found = resolvePointer(document, config.json);
  if (!found.found) return { ok: false, metric: 'value', reason: found.reason, httpStatus, latencyMs };
  return { ok: true, value: found.value, httpStatus, latencyMs };
}
