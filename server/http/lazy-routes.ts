// Routes whose code is loaded by their first request: a feature most servers never
// serve (the ntfy and Gotify APIs, the webhooks) is declared at start-up by its
// routes' shapes alone (method, path, auth, fallback: what the router and the token
// check need), and its modules are imported when one of them is first asked for.
// Loading them at start costs an idle server memory for code it may never run
// (bench/results/findings.md, "What the idle embedded server is made of").
//
// Requests that arrive while the code loads wait for the same load. A load that fails
// fails those requests with a 500 that says what could not be loaded, and the next
// request tries again.

import { errorText } from '../protocol/errors.ts';
import type { Route } from './router.ts';

/** What the router and the request handler read of a route, known before its code is. */
export type RouteShape = Pick<Route, 'method' | 'path' | 'auth' | 'fallback'>;

/**
 * `shapes` served by the routes `load` makes, loaded once, on the first request to any
 * of them. `what` names the feature in errors ("the ntfy API").
 */
export function lazyRoutes(what: string, shapes: readonly RouteShape[], load: () => Promise<readonly Route[]>): Route[] {
  let loading: Promise<Map<string, Route>> | undefined;
  const loaded = (): Promise<Map<string, Route>> =>
    (loading ??= load().then(
      (routes) => byShape(what, shapes, routes),
      (error: unknown) => {
        loading = undefined;
        throw new Error(`could not load ${what}: ${errorText(error)}`, { cause: error });
      },
    ));
  return shapes.map((shape) => ({
    ...shape,
    async handle(ctx) {
      const route = (await loaded()).get(shapeKey(shape))!;
      await route.handle(ctx);
    },
  }));
}

function shapeKey(shape: RouteShape): string {
  return `${shape.method} ${shape.path} auth=${shape.auth} fallback=${shape.fallback === true}`;
}

/** The loaded routes by shape; they must be exactly the declared ones, or none is served. */
function byShape(what: string, shapes: readonly RouteShape[], routes: readonly Route[]): Map<string, Route> {
  const map = new Map(routes.map((route) => [shapeKey(route), route]));
  const declared = new Set(shapes.map(shapeKey));
  if (map.size !== routes.length || declared.size !== shapes.length || [...declared].some((key) => !map.has(key)) || map.size !== declared.size) {
    throw new Error(`${what} declares the routes [${[...declared].join(', ')}] but its code makes [${routes.map(shapeKey).join(', ')}]`);
  }
  return map;
}
