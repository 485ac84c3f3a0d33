// The desktop app's bundled server speaks ntfy and Gotify too: started as the app
// starts it (Node's fork standing in for utilityProcess), with its install token,
// it takes an ntfy publish, a Gotify push and an ntfy subscription.

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bundledServerPaths } from '../main/app/bundled-server/bundled-server-plan.ts';
import { runningBundledServer } from '../main/app/bundled-server/bundled-server-address.ts';
import { BUNDLED_SERVER_ENTRY } from './support/forked-servers.ts';
import { rawRequest } from './support/herald-test-server.ts';

let dir: string | undefined;
let server: ChildProcess | undefined;

afterEach(() => {
  server?.kill('SIGKILL');
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('takes an ntfy publish and a Gotify push with the install token, and streams them to an ntfy client', async () => {
  dir = mkdtempSync(join(tmpdir(), 'herald-bundled-integrations-'));
  const paths = bundledServerPaths(dir);
  const config = join(dir, 'quiet.json');
  writeFileSync(config, JSON.stringify({ system: { enabled: false } }));
  server = fork(BUNDLED_SERVER_ENTRY, ['--port', '0', '--data-dir', paths.dataDir, '--token-file', paths.tokenFile, '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    server!.once('exit', (code) => reject(new Error(`the bundled server exited with ${code}`)));
    server!.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening') resolve(message.url!);
    });
  });
  const { token } = runningBundledServer(dir)!;

  const ntfy = await rawRequest(`${url}/desk`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`me:${token}`).toString('base64')}`, Title: 'From ntfy' }, body: 'hello' });
  expect(ntfy.status).toBe(200);
  const gotify = await rawRequest(`${url}/message`, { method: 'POST', headers: { 'X-Gotify-Key': token, 'Content-Type': 'application/json' }, body: '{"message": "pushed", "priority": 8}' });
  expect(gotify.status).toBe(200);
  expect((await rawRequest(`${url}/desk`, { method: 'POST', body: 'no token' })).status).toBe(401);

  const auth = Buffer.from(`Bearer ${token}`).toString('base64url');
  const polled = await rawRequest(`${url}/desk,gotify/json?poll=1&auth=${auth}`);
  expect(polled.text.trim().split('\n').map((line) => JSON.parse(line))).toMatchObject([
    { event: 'message', topic: 'desk', title: 'From ntfy', message: 'hello' },
    { event: 'message', topic: 'gotify', message: 'pushed', priority: 4 },
  ]);
});
