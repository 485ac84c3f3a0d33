// ntfy's API at the server's root (ntfy docs, "Publishing" and "Subscribe via API"),
// so a tool pointed at an ntfy base URL works against Herald unchanged:
//
//   PUT/POST /<topic>              publish: body and headers (ntfy-publish.ts)
//   PUT/POST /                     publish the whole message as JSON
//   GET /<topic>[,<topic>...]/json newline-delimited JSON stream
//   GET /<topics>/sse              Server-Sent Events
//   GET /<topics>/raw              one line of text per message
//   GET /<topics>/auth             {"success":true} when the credential may read them
//
// The topic routes are fallbacks (server/http/router.ts): Herald's own routes are
// matched first, and a topic named like one of them is refused (ntfy-topics.ts).
// What a token may publish to and read is asked of `ctx.access` for every topic named
// (403 otherwise). Publishing takes the same rate limit and body limit as
// `POST /topics/:topic`; streams count against the same open-stream limits as
// `GET /events`.

import type { Route, RouteContext } from '../../http/router.ts';
import { HeraldError } from '../../protocol/errors.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { PublishService } from '../../core/publish-service.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { Hub } from '../../hub/hub.ts';
import type { StreamSettings } from '../../hub/open-stream.ts';
import type { StreamFormat } from '../../hub/stream-format.ts';
import type { SubscriberLimits } from '../../hub/subscriber-limits.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { checkBodyEncoding, readBody } from '../../http/request-body.ts';
import { requirePublish, requireSubscribe } from '../../http/access.ts';
import { eventFromNtfy, readJsonPublish, sendNtfyJson } from './ntfy-publish.ts';
import { NtfyParams } from './ntfy-params.ts';
import { ntfyMessageOf, heraldIdOf, type ExpiresAfterMs, type NtfyStreamKind } from './ntfy-message.ts';
import { ntfyTopic, ntfyTopicList } from './ntfy-topics.ts';
import { parseSince, type NtfySince } from './ntfy-since.ts';
import { ntfyFilter } from './ntfy-filters.ts';
import { ntfyStreamHeaders, openNtfyStream } from './ntfy-stream.ts';

export interface NtfyRouteDeps {
  publisher: PublishService;
  hub: Hub;
  log: EventLog;
  clock: Clock;
  rateLimiter: RateLimiter;
  /** The largest message body; a JSON publish may be twice that, for the JSON around it (as ntfy allows). */
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  maxTopicsPerConnection: number;
  settings: StreamSettings;
  slots: SubscriberLimits;
  /** The log's age limit, told to clients as each message's `expires`. */
  expiresAfterMs: ExpiresAfterMs;
  formats: Record<NtfyStreamKind, StreamFormat>;
}

const STREAM_KINDS: readonly NtfyStreamKind[] = ['json', 'sse', 'raw'];

export function ntfyRoutes(deps: NtfyRouteDeps): Route[] {
  const { clock } = deps;
  const bodyLimits = { clock, timeoutMs: deps.bodyTimeoutMs };

  async function publish(ctx: RouteContext, topic: string, body: Buffer, params: NtfyParams): Promise<void> {
    const outcome = await deps.publisher.publishWithOutcome(eventFromNtfy(topic, body, params, clock.now()), 'ntfy');
    const message = outcome.changed ? ntfyMessageOf(outcome.event, deps.expiresAfterMs) : null;
    if (message === null) throw new HeraldError('internal', 'a published message was not stored');
    sendNtfyJson(ctx.res, message);
  }

  const publishToTopic = async (ctx: RouteContext): Promise<void> => {
    const topic = ntfyTopic(ctx.params.topic!);
    requirePublish(ctx.access, topic);
    deps.rateLimiter.take(ctx.client);
    checkBodyEncoding(ctx.req);
    const body = await readBody(ctx.req, deps.maxBodyBytes, bodyLimits);
    await publish(ctx, topic, body, new NtfyParams(ctx.req, ctx.url));
  };

  const publishJson = async (ctx: RouteContext): Promise<void> => {
    deps.rateLimiter.take(ctx.client);
    checkBodyEncoding(ctx.req);
    const { topic, message, overlay } = readJsonPublish(await readBody(ctx.req, 2 * deps.maxBodyBytes, bodyLimits));
    requirePublish(ctx.access, topic);
    if (message.length > deps.maxBodyBytes) {
      throw new HeraldError('too_large', `expected a "message" of at most ${deps.maxBodyBytes} bytes, got ${message.length}`);
    }
    await publish(ctx, topic, message, new NtfyParams(ctx.req, ctx.url, overlay));
  };

  const publishRoutes: Route[] = ['PUT', 'POST'].flatMap((method): Route[] => [
    { method, path: '/:topic', auth: 'publish', fallback: true, handle: publishToTopic },
    { method, path: '/', auth: 'publish', handle: publishJson },
  ]);

  const streamRoutes = STREAM_KINDS.map(
    (kind): Route => ({
      method: 'GET',
      path: `/:topics/${kind}`,
      auth: 'subscribe',
      fallback: true,
      async handle({ req, res, url, params, client, access }) {
        const topics = ntfyTopicList(params.topics!, deps.maxTopicsPerConnection);
        for (const topic of topics) requireSubscribe(access, topic);
        const ntfy = new NtfyParams(req, url);
        const poll = ntfy.bool(false, 'x-poll', 'poll', 'po');
        const since = resumeFrom(req.headers['last-event-id'], kind) ?? parseSince(ntfy.get('x-since', 'since', 'si'), poll, clock.now(), deps.log);
        const accepts = ntfyFilter(ntfy);
        // Held until the response closes, however it ends.
        res.once('close', deps.slots.admit(client));
        if (req.method === 'HEAD') {
          res.writeHead(200, ntfyStreamHeaders(kind)).end();
          return;
        }
        await openNtfyStream(deps, res, { kind, topics, label: params.topics!, since, poll, accepts });
      },
    }),
  );

  /** EventSource's Last-Event-ID on an /sse reconnect: the id of the last message it got. */
  function resumeFrom(header: string | string[] | undefined, kind: NtfyStreamKind): NtfySince | null {
    const raw = (Array.isArray(header) ? header[0] : header)?.trim();
    if (kind !== 'sse' || raw === undefined || raw === '') return null;
    const id = heraldIdOf(raw, deps.log);
    if (id === null) throw new HeraldError('bad_id', `expected Last-Event-ID to be a message id from this server (h…), got ${JSON.stringify(raw.slice(0, 80))}`);
    return { kind: 'id', id };
  }

  const otherRoutes: Route[] = [
    {
      // The ntfy apps ask this to check a credential before they subscribe.
      method: 'GET',
      path: '/:topics/auth',
      auth: 'subscribe',
      fallback: true,
      handle({ res, params, access }) {
        for (const topic of ntfyTopicList(params.topics!, deps.maxTopicsPerConnection)) requireSubscribe(access, topic);
        sendNtfyJson(res, { success: true });
      },
    },
    {
      method: 'GET',
      path: '/:topics/ws',
      auth: 'none',
      fallback: true,
      handle() {
        throw new HeraldError(
          'not_found',
          "Herald does not speak ntfy's WebSocket protocol; subscribe with /<topic>/json or /<topic>/sse (in the ntfy app, use the JSON stream connection protocol)",
        );
      },
    },
  ];
  return [...publishRoutes, ...streamRoutes, ...otherRoutes];
}
