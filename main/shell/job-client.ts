// The jobs API of a Herald server (server/sources/jobs/job-routes.ts), for the history
// window's "run again", "cancel" and "show log" on any server the app knows: the
// bundled one or one from the settings. Runs in main, so the window needs no network
// (its CSP has connect-src 'none') and never sees a token.
import type { JobRunRef } from '../ipc/bridge.ts';

export interface ServerAddress {
  url: string;
  token: string;
}

export interface JobClient {
  runJob(server: string, job: string): Promise<JobRunRef & { topic: string }>;
  cancelJob(ref: JobRunRef): Promise<void>;
  jobLog(ref: JobRunRef): Promise<string>;
}

async function failure(response: Response, doing: string): Promise<Error> {
  let detail = response.statusText;
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') detail = body.error;
  } catch {
    // Not JSON: the status text says enough.
  }
  return new Error(`${doing}: the server answered ${response.status}${detail ? `: ${detail}` : ''}`);
}

export function createJobClient(options: { fetch: typeof fetch; address(server: string): ServerAddress | null }): JobClient {
  async function request(server: string, path: string, init: RequestInit, doing: string): Promise<Response> {
    const address = options.address(server);
    if (!address) throw new Error(`${doing}: no server "${server}" in the settings`);
    let response: Response;
    try {
      response = await options.fetch(new URL(path, address.url.endsWith('/') ? address.url : `${address.url}/`), {
        ...init,
        headers: address.token ? { Authorization: `Bearer ${address.token}` } : {},
      });
    } catch (error) {
      throw new Error(`${doing}: ${address.url} does not answer (${(error as Error).message})`);
    }
    if (!response.ok) throw await failure(response, doing);
    return response;
  }
  const runPath = (ref: JobRunRef) => `jobs/${encodeURIComponent(ref.job)}/runs/${encodeURIComponent(ref.run)}`;

  return {
    async runJob(server, job) {
      const response = await request(server, `jobs/${encodeURIComponent(job)}/runs`, { method: 'POST' }, `Starting job ${job}`);
      const body = (await response.json()) as { run: unknown; topic: unknown };
      return { server, job, run: String(body.run), topic: String(body.topic) };
    },
    async cancelJob(ref) {
      const response = await request(ref.server, runPath(ref), { method: 'DELETE' }, `Cancelling ${ref.job} run ${ref.run}`);
      await response.body?.cancel();
    },
    async jobLog(ref) {
      const response = await request(ref.server, `${runPath(ref)}/log`, { method: 'GET' }, `Reading the log of ${ref.job} run ${ref.run}`);
      return response.text();
    },
  };
}
