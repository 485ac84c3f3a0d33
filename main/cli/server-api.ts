// Talking to a Herald server from the CLI: where it is (--server, $HERALD_URL, the
// default), its token, and one JSON request with a clear error line on failure.

import type { ErrorBody } from '../../server/protocol/events.ts';
import { stringFlag, UsageError, type ParsedArgs } from './args.ts';
import { tokenOption } from './token-option.ts';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/**
 * How the client commands find their server, for their --help. The desktop app's
 * server comes from main/cli/bundled-server-default.ts, which fills in HERALD_URL
 * and HERALD_TOKEN while the app runs.
 */
export const SERVER_OPTIONS_HELP = `  --server URL       the server (default: $HERALD_URL, else the desktop app's server
                     while it runs, else ${DEFAULT_SERVER_URL})
  --token TOKEN      the server's token (default: $HERALD_TOKEN, or the app's token
                     when it is the app's server)`;

export interface ServerTarget {
  base: URL;
  token: string | undefined;
}

export function serverTarget(command: string, parsed: ParsedArgs, env: NodeJS.ProcessEnv): ServerTarget {
  const raw = stringFlag(parsed, 'server') ?? (env.HERALD_URL || DEFAULT_SERVER_URL);
  let base: URL;
  try {
    base = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    throw new UsageError(`herald ${command}: expected --server to be a URL like ${DEFAULT_SERVER_URL}, got ${JSON.stringify(raw)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError(`herald ${command}: expected --server to be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  return { base, token: tokenOption(command, parsed, env) };
}

/** `path` (no leading slash, segments already encoded) on the server. */
export function serverUrl(target: ServerTarget, path: string): URL {
  return new URL(path, target.base);
}

export function authHeaders(target: ServerTarget): Record<string, string> {
  return target.token ? { Authorization: `Bearer ${target.token}` } : {};
}

/** Why a fetch to the server failed, e.g. `ECONNREFUSED` or `TimeoutError`. */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

export class ServerError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ServerError';
    this.status = status;
  }
}

/** One request; resolves with the parsed JSON (or text) of a 2xx answer, else throws a one-line ServerError. */
export async function requestServer(
  target: ServerTarget,
  path: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const url = serverUrl(target, path);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...authHeaders(target), ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new ServerError(0, `cannot reach the server at ${url.origin} (${networkCause(error)}); is \`herald serve\` running there?`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain text (a run's log) or not Herald answering; the caller decides.
  }
  if (!response.ok) {
    const reason = typeof (body as ErrorBody | null)?.error === 'string' ? (body as ErrorBody).error : `unexpected answer ${JSON.stringify(text.slice(0, 80))}`;
    throw new ServerError(response.status, `${response.status} from ${url.origin}: ${reason}`);
  }
  return { status: response.status, body, text };
}
