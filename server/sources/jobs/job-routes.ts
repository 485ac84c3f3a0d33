// The jobs API (docs/cli.md, `herald job`): list configured jobs, start a run (201 {run, topic}), look
// at a run, cancel it, read its bounded output. A run's events stream on its topic,
// `job/<name>/<run>`, like any other (GET /events?topics=job/<name>/<run>). Starting
// and cancelling count against the client's publish rate limit, and need the token's
// `jobs` scope for that job; reading a job (its runs, its output) needs either that
// or the `subscribe` scope for its topics (server/http/access.ts).

import type { JobRegistry } from './job-registry.ts';
import type { RateLimiter } from '../../http/rate-limit.ts';
import { sendJson } from '../../http/respond.ts';
import type { Route } from '../../http/router.ts';
import { requireJob, type Access } from '../../http/access.ts';
import { HeraldError } from '../../protocol/errors.ts';

/** `POST /jobs/:name/runs` answers 201 with this. */
export interface StartedRun {
  job: string;
  run: string;
  topic: string;
}

/** Whether `access` may see the job `name`: it may run it, or read all of its topics. */
function mayReadJob(access: Access, name: string): boolean {
  return access.mayRunJob(name) || access.maySubscribe(`job/${name}/**`);
}

function requireReadJob(access: Access, name: string): void {
  if (!mayReadJob(access, name)) {
    throw new HeraldError('forbidden', `the token "${access.name}" may not see the job ${JSON.stringify(name)} (needs its jobs scope, or subscribe to job/${name}/**)`);
  }
}

export function jobRoutes(jobs: JobRegistry, rateLimiter: RateLimiter): Route[] {
  return [
    {
      method: 'GET',
      path: '/jobs',
      auth: 'subscribe',
      handle({ res, access }) {
        sendJson(res, 200, jobs.list().filter((job) => mayReadJob(access, job.name)));
      },
    },
    {
      method: 'POST',
      path: '/jobs/:name/runs',
      auth: 'publish',
      async handle({ req, res, params, client, access }) {
        // No body is needed; whatever was sent is not read, so do not let it linger.
        req.resume();
        requireJob(access, params.name ?? '');
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
      handle({ res, params, access }) {
        requireReadJob(access, params.name ?? '');
        sendJson(res, 200, jobs.find(params.name ?? '', params.run ?? '').info());
      },
    },
    {
      method: 'DELETE',
      path: '/jobs/:name/runs/:run',
      auth: 'publish',
      handle({ res, params, client, access }) {
        requireJob(access, params.name ?? '');
        rateLimiter.take(client);
        // 202: the stop is under way; the run's `end` (state cancelled) follows on its topic.
        sendJson(res, 202, jobs.cancel(params.name ?? '', params.run ?? ''));
      },
    },
    {
      method: 'GET',
      path: '/jobs/:name/runs/:run/log',
      auth: 'subscribe',
      handle({ res, params, access }) {
        requireReadJob(access, params.name ?? '');
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
