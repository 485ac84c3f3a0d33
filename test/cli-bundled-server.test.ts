// herald publish with the desktop app running: it finds the app's bundled server (a
// free port at each launch, a per-install token) with no --server or --token.

import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runningBundledServer, addressFileBeside } from '../main/app/bundled-server/bundled-server-address.ts';
import { bundledServerPaths } from '../main/app/bundled-server/bundled-server-plan.ts';
import { desktopUserDataDir } from '../main/app/startup/user-data-dir.ts';
import { HERALD_BIN } from './support/herald-child.ts';
import { BUNDLED_SERVER_ENTRY } from './support/forked-servers.ts';


let configHome: string;
let userData: string;
let server: ChildProcess | undefined;

beforeEach(() => {
  configHome = mkdtempSync(join(tmpdir(), 'herald-config-home-'));
  userData = desktopUserDataDir('linux', { XDG_CONFIG_HOME: configHome }, '/nonexistent');
  mkdirSync(userData, { recursive: true });
});
afterEach(() => {
  server?.kill('SIGKILL');
  server = undefined;
  rmSync(configHome, { recursive: true, force: true });
});

/** The app's bundled server, as the app starts it (Node's fork standing in for utilityProcess). */
async function startBundledServer(): Promise<string> {
  const paths = bundledServerPaths(userData);
  const config = join(userData, 'quiet.json');
  writeFileSync(config, JSON.stringify({ system: { enabled: false } }));
  server = fork(BUNDLED_SERVER_ENTRY, ['--port', '0', '--data-dir', paths.dataDir, '--token-file', paths.tokenFile, '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    server!.once('exit', (code) => reject(new Error(`the bundled server exited with ${code}`)));
    server!.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening') resolve(message.url!);
    });
  });
}

function herald(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [HERALD_BIN, ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, HERALD_URL: '', HERALD_TOKEN: '', XDG_CONFIG_HOME: configHome, ...env },
  });
}

describe.runIf(process.platform === 'linux')('the CLI and the desktop app', () => {
  it('publishes to the running app bundled server without --server or --token', async () => {
    const url = await startBundledServer();
    const result = herald(['publish', 'run/backup', 'nightly backup done'], {});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const id = result.stdout.trim();

    const { token } = runningBundledServer(userData)!;
    const topics = (await (await fetch(`${url}/topics`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Array<{ topic: string; lastId: string }>;
    expect(topics.find((t) => t.topic === 'run/backup')?.lastId).toBe(id);
  });

  it('lets HERALD_URL win over the app, and ignores an address left by a crashed app', async () => {
    await startBundledServer();
    const elsewhere = herald(['publish', 'run/backup', 'x'], { HERALD_URL: 'http://127.0.0.1:1' });
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toMatch(/cannot reach the server at http:\/\/127\.0\.0\.1:1 /);

    server!.kill('SIGKILL');
    await new Promise((resolve) => server!.once('exit', resolve));
    // The crash left the address file behind, naming a pid that no longer runs.
    expect(existsSync(addressFileBeside(bundledServerPaths(userData).tokenFile))).toBe(true);
    expect(runningBundledServer(userData)).toBeNull();
  });
});
