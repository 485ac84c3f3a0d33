// The jobs API (docs/cli.md, `herald job`): list configured jobs, start a run (201 {run, topic}), look
// at a run, cancel it, read its bounded output. A run's events stream on its topic,
// `job/<name>/<run>`, like any other (GET /events?topics=job/<name>/<run>). Starting
// and cancelling count against the client's publish rate limit, and need the token's
// `jobs` scope for that job; reading a run (its details, its output) needs either that
// or the `subscribe` scope for the run's topic (server/http/access.ts).

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

/** Whether `access` may see the job `name` in the list: it may run it, or read some of its runs' topics. */
function mayListJob(access: Access, name: string): boolean {
  return access.mayRunJob(name) || access.narrow([`job/${name}/**`]).refused.length === 0;
}

/** A run's details and output: for whoever may run the job or read the run's topic. */
function requireReadRun(access: Access, name: string, run: string): void {
  if (access.mayRunJob(name) || access.maySubscribe(`job/${name}/${run}`)) return;
  throw new HeraldError('forbidden', `the token "${access.name}" may not see run ${JSON.stringify(run)} of the job ${JSON.stringify(name)} (needs the job in its jobs scope, or job/${name}/${run} in its subscribe scope)`);
}

export function jobRoutes(jobs: JobRegistry, rateLimiter: RateLimiter): Route[] {
  return [
    {
      method: 'GET',
      path: '/jobs',
      auth: 'subscribe',
      handle({ res, access }) {
        sendJson(res, 200, jobs.list().filter((job) => mayListJob(access, job.name)));
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
        requireReadRun(access, params.name ?? '', params.run ?? '');
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
        requireReadRun(access, params.name ?? '', params.run ?? '');
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
