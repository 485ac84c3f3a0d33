// The jobs API (issue 3): list configured jobs, start a run (201 {run, topic}), look
// at a run, cancel it, read its bounded output. A run's events stream on its topic,
// `job/<name>/<run>`, like any other (GET /events?topics=job/<name>/<run>). Starting
// and cancelling count against the client's publish rate limit.

import type { JobRegistry } from '../../sources/jobs/job-registry.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../router.ts';

/** `POST /jobs/:name/runs` answers 201 with this. */
export interface StartedRun {
  job: string;
  run: string;
  topic: string;
}

export function jobRoutes(jobs: JobRegistry, rateLimiter: RateLimiter): Route[] {
  return [
    {
      method: 'GET',
      path: '/jobs',
      auth: 'subscribe',
      handle({ res }) {
        sendJson(res, 200, jobs.list());
      },
    },
    {
      method: 'POST',
      path: '/jobs/:name/runs',
      auth: 'publish',
      async handle({ req, res, params, client }) {
        // No body is needed; whatever was sent is not read, so do not let it linger.
        req.resume();
        rateLimiter.take(client);
        const run = await jobs.start(params.name ?? '', 'api');
        sendJson(res, 201, { job: run.job, run: run.run, topic: run.topic } satisfies StartedRun, {
          Location: `/jobs/${encodeURIComponent(run.job)}/runs/${encodeURIComponent(run.run)}`,
        });
      },
    },
    {
      method: 'GET',
      path: '/jobs/:name/runs/:run',
      auth: 'subscribe',
      handle({ res, params }) {
        sendJson(res, 200, jobs.find(params.name ?? '', params.run ?? '').info());
      },
    },
    {
      method: 'DELETE',
      path: '/jobs/:name/runs/:run',
      auth: 'publish',
      handle({ res, params, client }) {
        rateLimiter.take(client);
        // 202: the stop is under way; the run's `end` (state cancelled) follows on its topic.
        sendJson(res, 202, jobs.cancel(params.name ?? '', params.run ?? ''));
      },
    },
    {
      method: 'GET',
      path: '/jobs/:name/runs/:run/log',
      auth: 'subscribe',
      handle({ res, params }) {
        const text = jobs.find(params.name ?? '', params.run ?? '').logText();
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': Buffer.byteLength(text),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(text);
      },
    },
  ];
}
