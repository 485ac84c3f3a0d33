// `herald job list | run <name> [--follow] | cancel <name> <run> | log <name> <run>`:
// the configured jobs of a running server, through its jobs API.

import { EventSource } from 'eventsource';
import type { EndData, UpdateData } from '../../server/protocol/events.ts';
import type { JobSummary } from '../../server/sources/jobs/job-registry.ts';
import type { RunInfo } from '../../server/sources/jobs/job-run.ts';
import type { StartedRun } from '../../server/sources/jobs/job-routes.ts';
import { parseCommandArgs, UsageError } from './args.ts';
import type { CliIO, Command } from './command.ts';
import { authHeaders, SERVER_OPTIONS_HELP, requestServer, ServerError, serverTarget, serverUrl, type ServerTarget } from './server-api.ts';

const help = `usage: herald job <list | run NAME | cancel NAME RUN | log NAME RUN> [options]

The jobs configured in the server's config file ("jobs" block).

  herald job list              each job, its schedule, and its active or last run
  herald job run NAME          start a run and print its topic (job/NAME/RUN)
      --follow                 show its progress until it ends, then exit with its
                               exit code (1 when it was stopped without one)
  herald job cancel NAME RUN   stop a run (it ends "cancelled")
  herald job log NAME RUN      print a run's kept output

options:
${SERVER_OPTIONS_HELP}
  --json             print the server's JSON answer (list, run, cancel)
  -h, --help         show this help`;

const path = (...segments: string[]): string => segments.map(encodeURIComponent).join('/');

function describeRun(run: RunInfo | null): string {
  if (!run) return 'never run';
  const progress = typeof run.progress === 'number' && run.state === 'running' ? ` ${Math.round(run.progress * 100)}%` : '';
  const code = run.exitCode === null || run.state === 'running' ? '' : ` (exit ${run.exitCode})`;
  return `${run.run} ${run.state}${progress}${code}`;
}

export const jobCommand: Command = {
  summary: 'list, start (and follow), cancel configured jobs, or read a run\'s output',
  help,
  async run(argv, io) {
    const parsed = parseCommandArgs('job', argv, {
      server: { type: 'string' },
      token: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
    });
    const [action, ...names] = parsed.positionals;
    const target = serverTarget('job', parsed, io.env);
    const json = parsed.flags.json === true;
    try {
      switch (action) {
        case 'list': {
          const { body } = await requestServer(target, 'jobs');
          const jobs = body as JobSummary[];
          if (json) io.out(JSON.stringify(jobs, null, 2));
          else if (jobs.length === 0) io.out('no jobs are configured (see the "jobs" block of the config file)');
          for (const job of json ? [] : jobs) {
            const running = job.active.map(describeRun).join(', ');
            io.out(`${job.name}\t${job.schedule ?? 'on request'}\t${running || describeRun(job.lastRun)}\t${job.command}`);
          }
          return 0;
        }
        case 'run': {
          const [name] = names;
          if (name === undefined || names.length > 1) throw new UsageError('herald job run: expected one job name, e.g. herald job run backup');
          const { body } = await requestServer(target, `${path('jobs', name, 'runs')}`, { method: 'POST' });
          const started = body as StartedRun;
          io.out(json ? JSON.stringify(started) : started.topic);
          return parsed.flags.follow === true ? await follow(target, started, io) : 0;
        }
        case 'cancel': {
          const [name, run] = names;
          if (name === undefined || run === undefined) throw new UsageError('herald job cancel: expected a job name and a run, e.g. herald job cancel backup 20250610-143005');
          const { body } = await requestServer(target, path('jobs', name, 'runs', run), { method: 'DELETE' });
          io.out(json ? JSON.stringify(body) : `cancelling ${(body as RunInfo).topic}`);
          return 0;
        }
        case 'log': {
          const [name, run] = names;
          if (name === undefined || run === undefined) throw new UsageError('herald job log: expected a job name and a run, e.g. herald job log backup 20250610-143005');
          const { text } = await requestServer(target, path('jobs', name, 'runs', run, 'log'));
          process.stdout.write(text);
          return 0;
        }
        default:
          throw new UsageError(`herald job: expected list, run, cancel or log, got ${action === undefined ? 'nothing' : JSON.stringify(action)}; see herald job --help`);
      }
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      io.err(`herald job: ${error.message}`);
      return 1;
    }
  },
};

/** Show a run's progress from its topic until `end`; the run's exit code is ours. */
async function follow(target: ServerTarget, started: StartedRun, io: CliIO): Promise<number> {
  const url = serverUrl(target, `events?topics=${encodeURIComponent(started.topic)}&since=all`);
  const headers = authHeaders(target);
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
  });
  let shown = '';
  const end = await new Promise<EndData | null>((resolve) => {
    es.addEventListener('update', (event) => {
      const status = (JSON.parse(event.data) as UpdateData).status;
      const progress = typeof status.progress === 'number' ? `${Math.round(status.progress * 100)}% ` : '';
      const line = `${status.state} ${progress}${typeof status.lastLine === 'string' ? status.lastLine : ''}`.trimEnd();
      if (line !== shown) io.err(`[${started.job} ${started.run}] ${line}`);
      shown = line;
    });
    es.addEventListener('end', (event) => resolve(JSON.parse(event.data) as EndData));
    es.addEventListener('error', () => {
      // CLOSED: the server answered for good (204 for an ended topic, 401); else it retries.
      if (es.readyState === EventSource.CLOSED) resolve(null);
    });
  });
  es.close();
  if (end === null) {
    // The stream closed without an end: ask the run itself how it finished.
    try {
      const { body } = await requestServer(target, path('jobs', started.job, 'runs', started.run));
      const info = body as RunInfo;
      io.out(`${started.topic} ${info.state}${info.exitCode === null ? '' : ` (exit ${info.exitCode})`}`);
      return info.exitCode ?? 1;
    } catch (error) {
      io.err(`herald job: lost the stream of ${started.topic}: ${(error as Error).message}`);
      return 1;
    }
  }
  io.out(end.summary);
  return end.exitCode ?? 1;
}
