// The supervisor against the real bundled-server entry in a real child process (Node's
// fork stands in for Electron's utilityProcess: same entry, same messages).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { BundledServerSupervisor, type BundledServerEndpoint } from './bundled-server-supervisor.ts';
import { ForkedServers } from '../../test/support/forked-servers.ts';
import { loadOrCreateInstallToken } from './install-token.ts';
import { bundledServerPaths } from './startup-plan.ts';
import { addressFileBeside } from './bundled-server-address.ts';

let userData: string;
let servers: ForkedServers;

beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'herald-bundled-'));
  servers = new ForkedServers();
});
afterEach(() => {
  servers.killAll();
  rmSync(userData, { recursive: true, force: true });
});

/** Events from the supervisor, awaited one at a time. */
function recorder() {
  const seen: Array<{ kind: 'listening'; endpoint: BundledServerEndpoint } | { kind: 'down'; reason: string; retryInMs: number | null }> = [];
  let wake: (() => void) | null = null;
  const push = (entry: (typeof seen)[number]): void => {
    seen.push(entry);
    wake?.();
  };
  return {
    events: {
      onListening: (endpoint: BundledServerEndpoint) => push({ kind: 'listening', endpoint }),
      onDown: (reason: string, retryInMs: number | null) => push({ kind: 'down', reason, retryInMs }),
    },
    async next(count: number): Promise<(typeof seen)[number]> {
      while (seen.length < count) await new Promise<void>((resolve) => (wake = resolve));
      return seen[count - 1]!;
    },
  };
}

describe('bundled server supervisor', () => {
  it('starts the server on a free loopback port that requires the install token', async () => {
    const paths = bundledServerPaths(userData);
    const token = loadOrCreateInstallToken(paths.tokenFile);
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch: servers.launch, plan: { port: 0, ...paths }, clock: new ManualClock(), events: seen.events });
    supervisor.start();
    const first = await seen.next(1);
    if (first.kind !== 'listening') throw new Error(`expected the server to listen, got ${JSON.stringify(first)}`);
    expect(first.endpoint.url).toBe(`http://127.0.0.1:${first.endpoint.port}`);

    const publish = (auth?: string) =>
      fetch(`${first.endpoint.url}/topics/test`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', ...(auth ? { Authorization: auth } : {}) },
        body: 'hello',
      });
    expect((await publish()).status).toBe(401);
    expect((await publish('Bearer wrong-token')).status).toBe(401);
    expect((await publish(`Bearer ${token}`)).status).toBe(201);
    // Its event log is in the app's user-data folder.
    expect(statSync(join(paths.dataDir, 'events.sqlite')).isFile()).toBe(true);
    // Its address is published for the CLI while it runs (owner-only), and removed when it stops.
    const addressFile = addressFileBeside(paths.tokenFile);
    expect(JSON.parse(readFileSync(addressFile, 'utf8'))).toEqual({ url: first.endpoint.url, pid: servers.children[0]!.pid });
    expect(statSync(addressFile).mode & 0o077).toBe(0);
    await supervisor.stop();
    expect(existsSync(addressFile)).toBe(false);
  });

  it('restarts a server that died, on the same port, after the backoff delay', async () => {
    const clock = new ManualClock();
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch: servers.launch, plan: { port: 0, ...bundledServerPaths(userData) }, clock, events: seen.events });
    supervisor.start();
    const first = await seen.next(1);
    if (first.kind !== 'listening') throw new Error('expected the server to listen');
    servers.children[0]!.kill('SIGKILL');
    const down = await seen.next(2);
    expect(down).toMatchObject({ kind: 'down', retryInMs: 1000 });
    expect(servers.children).toHaveLength(1);
    clock.advance(1000);
    const again = await seen.next(3);
    expect(again).toEqual({ kind: 'listening', endpoint: first.endpoint });
    expect(servers.children).toHaveLength(2);
    await supervisor.stop();
  });

  it('stops the server cleanly and does not restart it', async () => {
    const clock = new ManualClock();
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch: servers.launch, plan: { port: 0, ...bundledServerPaths(userData) }, clock, events: seen.events });
    supervisor.start();
    await seen.next(1);
    await supervisor.stop();
    expect(servers.children[0]!.exitCode).toBe(0);
    clock.advance(120_000);
    expect(servers.children).toHaveLength(1);
  });

  it('reports a server that cannot start, with its reason, and retries later', async () => {
    const clock = new ManualClock();
    const seen = recorder();
    // The data dir is a file: the log cannot be opened.
    const paths = bundledServerPaths(userData);
    loadOrCreateInstallToken(paths.tokenFile);
    const supervisor = new BundledServerSupervisor({ launch: servers.launch, plan: { port: 0, tokenFile: paths.tokenFile, dataDir: paths.tokenFile }, clock, events: seen.events });
    supervisor.start();
    const down = await seen.next(1);
    expect(down.kind).toBe('down');
    if (down.kind === 'down') {
      // The server's own words, not just an exit code.
      expect(down.reason).toMatch(/EEXIST|ENOTDIR|not a directory/);
      expect(down.retryInMs).toBe(1000);
    }
    await supervisor.stop();
  });
});
