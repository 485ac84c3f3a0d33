// POST /hooks/github: GitHub's repository, organization or app webhooks
// (docs/integrations.md, "GitHub"). Who may post:
//   - with `github.secret` set, only a request whose X-Hub-Signature-256 is the
//     HMAC-SHA256 of its raw body under that secret (GitHub cannot send Herald's
//     token); an unsigned or wrongly signed one is 401, and counts as a failed try;
//   - without a secret, only a request with Herald's token, as for any publish (a
//     server without a token takes it from loopback clients only, like the rest).
// The signature is checked over the bytes received, before they are parsed.

import { HeraldError } from '../protocol/errors.ts';
import type { GithubConfig } from '../config/config-types.ts';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import { requirePublish, type Access } from '../http/access.ts';
import { mapGithubEvent } from './github-events.ts';
import { bodyObject, checkSecret, hookRoute, readHookBody, type HookDeps } from './hook-request.ts';

export function githubRoute(deps: HookDeps, config: GithubConfig = {}): Route {
  const secret = config.secret;
  return hookRoute(deps, { path: '/hooks/github', auth: 'none', hook: () => 'github' }, async ({ req, res, client }) => {
    // The secret authorizes what it signs; without one, the token's scopes do.
    const access: Access | null = secret === undefined ? await deps.auth.check(req, res) : null;
    deps.rateLimiter.take(client);
    const header = req.headers['x-github-event'];
    const event = (Array.isArray(header) ? header[0] : header)?.trim();
    const { raw, form } = await readHookBody(req, deps);
    if (secret !== undefined) checkSecret(req, raw, deps, { kind: 'signature', secret, header: 'X-Hub-Signature-256' });
    if (event === undefined || event === '') {
      throw new HeraldError('bad_request', 'expected an X-GitHub-Event header naming the event (GitHub sends one with every delivery), got none');
    }
    const mapping = mapGithubEvent(event, bodyObject(raw, form, `a GitHub ${event.slice(0, 64)} payload (a JSON object)`));
    if (mapping.kind === 'ignored') {
      sendJson(res, 202, { ignored: mapping.reason });
      return 'ignored';
    }
    if (access !== null) requirePublish(access, mapping.data.topic);
    const stored = await deps.publisher.publishWithOutcome({ type: 'notify', data: { ...mapping.data, time: deps.clock.now() } }, 'github');
    if (!stored.changed) throw new Error('a notify event is always stored');
    sendJson(res, 201, { id: stored.event.id, topic: mapping.data.topic });
    return 'published';
  });
}
