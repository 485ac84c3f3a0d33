// POST /topics/:topic : publish a message or a status (docs/protocol.md, "Publish").

import { HeraldError } from '../../protocol/errors.ts';
import { assertTopic } from '../../protocol/topics.ts';
import type { PublishResult } from '../../protocol/events.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { PublishService } from '../../core/publish-service.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { checkBodyEncoding, mediaType, readBody } from '../request-body.ts';
import { eventFromJson, eventFromText } from '../publish-request.ts';
import { sendJson } from '../respond.ts';
import { requirePublish } from '../access.ts';
import type { Route } from '../router.ts';

export function publishRoute(deps: {
  publisher: PublishService;
  clock: Clock;
  rateLimiter: RateLimiter;
  maxBodyBytes: number;
  /** How long the body may take to arrive (default DEFAULT_LIMITS.bodyTimeoutMs), on `clock`. */
  bodyTimeoutMs?: number;
}): Route {
  return {
    method: 'POST',
    path: '/topics/:topic*',
    auth: 'publish',
    async handle({ req, res, params, client, access }) {
      const topic = params.topic;
      assertTopic(topic);
      requirePublish(access, topic);
      deps.rateLimiter.take(client);
      const type = mediaType(req);
      if (type !== 'text/plain' && type !== 'application/json' && type !== '') {
        throw new HeraldError('unsupported_media_type', `expected Content-Type text/plain or application/json, got ${type}`);
      }
      checkBodyEncoding(req);
      const body = await readBody(req, deps.maxBodyBytes, { clock: deps.clock, timeoutMs: deps.bodyTimeoutMs });
      const now = deps.clock.now();
      const event = type === 'application/json' ? eventFromJson(topic, body, now) : eventFromText(topic, body, req.headers, now);
      const outcome = await deps.publisher.publishWithOutcome(event);
      if (outcome.changed) {
        sendJson(res, 201, { id: outcome.event.id, topic } satisfies PublishResult);
      } else {
        sendJson(res, 200, { id: outcome.latestId, topic, changed: false });
      }
    },
  };
}
