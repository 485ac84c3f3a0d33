// POST /hooks/:name: the generic webhooks of the config file's `hooks` block
// (docs/integrations.md, "Generic webhooks"). A hook with a `secret` is checked by
// it (an HMAC-SHA256 signature of the body, or the secret itself in a header)
// instead of Herald's token; one without needs the token, like any publish. A hook
// with a `level` publishes an `alert` only when the topic's level changes (and not
// `ok` for a topic that never alerted), so a sender that repeats itself does not
// notify again.

import { HeraldError } from '../../protocol/errors.ts';
import { sendJson } from '../../http/respond.ts';
import type { Route } from '../../http/router.ts';
import { requirePublish, type Access } from '../../http/access.ts';
import { bodyObject, checkSecret, hookRoute, readHookBody, type HookDeps } from '../hook-request.ts';
import type { CompiledHook } from './hook-config.ts';
import { hookEvent } from './hook-event.ts';

/** `hooks`: the config file's hooks by name, compiled at start-up (compileHook). */
export function hooksRoute(deps: HookDeps, hooks: ReadonlyMap<string, CompiledHook>): Route {
  const known = (name: string | undefined) => (name === undefined ? undefined : hooks.get(name));
  return hookRoute(deps, { path: '/hooks/:name', auth: 'none', hook: ({ params }) => (known(params.name) ? params.name! : null) }, async ({ req, res, params, client }) => {
    const hook = known(params.name);
    if (hook === undefined) {
      throw new HeraldError('not_found', `expected the name of a webhook in the config file's "hooks", got ${JSON.stringify(params.name?.slice(0, 64))}`);
    }
    // A hook's secret authorizes the topics its config names; a token, its scopes.
    const access: Access | null = hook.auth.kind === 'token' ? await deps.auth.check(req, res) : null;
    deps.rateLimiter.take(client);
    const { raw, form } = await readHookBody(req, deps);
    if (hook.auth.kind !== 'token') checkSecret(req, raw, deps, hook.auth);
    const event = hookEvent(hook, bodyObject(raw, form), deps.clock.now());
    const source = `hook:${hook.name}`;
    const topic = event.data.topic;
    if (access !== null) requirePublish(access, topic);
    if (event.type === 'notify') {
      const outcome = await deps.publisher.publishWithOutcome(event, source);
      if (!outcome.changed) throw new Error('a notify event is always stored');
      sendJson(res, 201, { id: outcome.event.id, topic });
      return 'published';
    }
    const alert = event;
    const stored = await deps.serial.run(async () => {
      const current = (await deps.log.topic(topic))?.level ?? null;
      // Same level again, or ok for a topic that never alerted: nothing changes.
      if ((current ?? 'ok') === alert.data.level) return null;
      alert.data.previous = current ?? 'ok';
      const [one] = await deps.publisher.publishAll([alert], source);
      return one!;
    });
    if (stored === null) {
      sendJson(res, 200, { topic, changed: false, level: alert.data.level });
      return 'unchanged';
    }
    sendJson(res, 201, { id: stored.id, topic });
    return 'published';
  });
}
