// A small router: routes are plain objects, so other parts (jobs, dashboard) plug
// theirs in through createHeraldServer without touching this file. Paths use
// `/jobs/:name/runs` style parameters; a parameter matches one non-empty segment,
// and a last parameter written `:name*` matches the rest of the path (one or more
// segments, e.g. a topic `job/backup/7` in `/topics/:topic*`).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from './access.ts';

/**
 * Whether a route needs a credential ('none': no; the others: yes, checked before it
 * runs). Which topics or jobs it may touch the route checks itself on `ctx.access`.
 */
export type RouteAuth = 'none' | 'subscribe' | 'publish';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** The peer's address, and whether it is a loopback one. */
  client: { address: string; loopback: boolean };
  /**
   * What the request's credential allows (server/http/access.ts): checked before the
   * route runs when `auth` is not 'none'; otherwise what a request without one may do.
   */
  access: Access;
}

export interface Route {
  method: string;
  path: string;
  auth: RouteAuth;
  /** Answer the request; a thrown HeraldError becomes its JSON error answer. */
  handle(ctx: RouteContext): void | Promise<void>;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

export class Router {
  readonly #routes: CompiledRoute[] = [];

  constructor(routes: readonly Route[] = []) {
    for (const route of routes) this.add(route);
  }

  add(route: Route): void {
    if (!route.path.startsWith('/')) throw new Error(`a route path must start with "/", got ${JSON.stringify(route.path)}`);
    this.#routes.push({ route, segments: route.path.split('/').slice(1) });
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').slice(1);
    const allowed: string[] = [];
    for (const { route, segments } of this.#routes) {
      const params = matchSegments(segments, parts);
      if (params === null) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', route, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  const rest = pattern[pattern.length - 1]?.endsWith('*') === true;
  if (rest ? parts.length < pattern.length : pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = rest && i === pattern.length - 1 ? parts.slice(i).join('/') : parts[i]!;
    if (want.startsWith(':')) {
      if (got.length === 0) return null;
      let value: string;
      try {
        value = decodeURIComponent(got);
      } catch {
        return null;
      }
      params[want.slice(1).replace(/\*$/, '')] = value;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}
