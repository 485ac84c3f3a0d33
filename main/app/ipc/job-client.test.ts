// The job client against a real server running a configured job.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHeraldServer, standardPlugins, type HeraldServer } from '../../../server/app.ts';
import { createJobClient } from './job-client.ts';

const TOKEN = 'job-client-test-token';
let dir: string;
let server: HeraldServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'herald-jobs-'));
  const configFile = join(dir, 'herald.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ system: { intervalSec: 60 }, jobs: { hello: { command: 'echo hello from the job' }, slow: { command: 'sleep 30' } } }),
  );
  server = await createHeraldServer({ port: 0, dataDir: join(dir, 'data'), token: TOKEN, configFile, plugins: standardPlugins });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(token = TOKEN) {
  return createJobClient({ fetch, address: (id) => (id === 'bundled' ? { url: server.url, token } : null) });
}

describe('job client', () => {
  it('starts a run, then reads its output', async () => {
    const run = await client().runJob('bundled', 'hello');
    expect(run).toMatchObject({ server: 'bundled', job: 'hello', topic: `job/hello/${run.run}` });
    await vi.waitFor(async () => expect(await client().jobLog(run)).toContain('hello from the job'), { timeout: 5000 });
  });

  it('cancels a running job', async () => {
    const run = await client().runJob('bundled', 'slow');
    await expect(client().cancelJob(run)).resolves.toBeUndefined();
  });

  it("explains the server's refusal", async () => {
    await expect(client().runJob('bundled', 'nope')).rejects.toThrow(/^Starting job nope: the server answered 404/);
    await expect(client('wrong').runJob('bundled', 'hello')).rejects.toThrow(/answered 401/);
    await expect(client().runJob('elsewhere', 'hello')).rejects.toThrow('no server "elsewhere"');
  });
});
