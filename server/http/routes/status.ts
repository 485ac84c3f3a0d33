// GET /topics (each topic's latest state and subscriber count) and GET /health.

import { PROTOCOL_VERSION, type HealthReport, type TopicSummary } from '../../protocol/events.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { Clock } from '../../protocol/clock.ts';
import type { Hub } from '../../hub/hub.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../router.ts';

export function topicsRoute(deps: { hub: Hub; log: EventLog }): Route {
  return {
    method: 'GET',
    path: '/topics',
    auth: 'subscribe',
    async handle({ res, access }) {
      const states = (await deps.log.topics()).filter((state) => access.maySubscribe(state.topic));
      const summaries: TopicSummary[] = states.map((state) => ({
        ...state,
        subscribers: deps.hub.subscribersOf(state.topic),
      }));
      sendJson(res, 200, summaries);
    },
  };
}

export function healthRoute(deps: {
  hub: Hub;
  log: EventLog;
  clock: Clock;
  startedAt: number;
  version: string;
  connections(): number;
}): Route {
  return {
    method: 'GET',
    path: '/health',
    auth: 'none',
    handle({ res }) {
      const report: HealthReport = {
        ok: true,
        name: 'herald',
        version: deps.version,
        protocol: PROTOCOL_VERSION,
        uptimeSec: Math.floor((deps.clock.now() - deps.startedAt) / 1000),
        subscribers: deps.hub.size,
        connections: deps.connections(),
        store: deps.log.kind,
      };
      sendJson(res, 200, report);
    },
  };
}
