// `POST /message`: Gotify-compatible publishing (gotify.net docs, "Push messages"),
// for tools that push to a Gotify server. The application token comes as `?token=`,
// `X-Gotify-Key` or Bearer (server/http/credentials.ts); messages go to the token's
// default topic, else to `integrations.gotify.topic` (default `gotify`). Same rate limit as
// `POST /topics/:topic`; the body may be twice the publish limit (the JSON or form
// around the message), the message itself no more than the limit.

import type { Route } from '../../http/router.ts';
import { HeraldError } from '../../protocol/errors.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { PublishService } from '../../core/publish-service.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { checkBodyEncoding, readBody } from '../../http/request-body.ts';
import { goJson } from '../go-json.ts';
import { requirePublish } from '../../http/access.ts';
import { eventFromGotify, gotifyAnswer, readGotifyMessage } from './gotify-message.ts';

export interface GotifyRouteDeps {
  publisher: PublishService;
  clock: Clock;
  rateLimiter: RateLimiter;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  /** Where the messages go, for a token without a default topic of its own. */
  topic: string;
}

export function gotifyRoute(deps: GotifyRouteDeps): Route {
  return {
    method: 'POST',
    path: '/message',
    auth: 'publish',
    async handle({ req, res, url, client, access }) {
      // A token with a default topic publishes there; others to the configured one.
      const topic = access.defaultTopic ?? deps.topic;
      requirePublish(access, topic);
      deps.rateLimiter.take(client);
      checkBodyEncoding(req);
      const body = await readBody(req, 2 * deps.maxBodyBytes, { clock: deps.clock, timeoutMs: deps.bodyTimeoutMs });
      const message = await readGotifyMessage(req, url, body);
      const size = Buffer.byteLength(message.message);
      if (size > deps.maxBodyBytes) throw new HeraldError('too_large', `expected a "message" of at most ${deps.maxBodyBytes} bytes, got ${size}`);
      const outcome = await deps.publisher.publishWithOutcome(eventFromGotify(topic, message, deps.clock.now()), 'gotify');
      if (!outcome.changed) throw new HeraldError('internal', 'a published message was not stored');
      const text = goJson(gotifyAnswer(outcome.event, message));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      res.end(text);
    },
  };
}
