// The supervisor against the real bundled-server entry in a real child process: a
// plain Node fork (the entry's process.send branch), and the fake utilityProcess of
// test/electron-fake/ through the app's own launcher (the entry's parentPort branch,
// in a child that, like a utility process, does not exit when its event loop drains).
import { createServer, type Server } from 'node:net';
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
import { utilityProcessLauncher } from './utility-process-launcher.ts';
import type { LaunchServerProcess } from './bundled-server-supervisor.ts';
import { BUNDLED_SERVER_ENTRY } from '../../test/support/forked-servers.ts';
import { forkUtilityProcess, type FakeUtilityProcess } from '../../test/electron-fake/utility-process.ts';

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

describe('bundled server supervisor over a utility process (parentPort)', () => {
  const children: FakeUtilityProcess[] = [];
  const exits: Array<Promise<number>> = [];
  const launch: LaunchServerProcess = utilityProcessLauncher((modulePath, args, options) => {
    const child = forkUtilityProcess(modulePath, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    exits.push(new Promise((resolve) => child.on('exit', resolve)));
    return child;
  }, BUNDLED_SERVER_ENTRY);
  let blocker: Server | null = null;

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    await Promise.all(exits.splice(0));
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(null)));
    blocker = null;
  });

  it('runs the entry through process.parentPort: listens, and exits cleanly when asked to stop', async () => {
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch, plan: { port: 0, ...bundledServerPaths(userData) }, clock: new ManualClock(), events: seen.events });
    supervisor.start();
    const first = await seen.next(1);
    if (first.kind !== 'listening') throw new Error(`expected the server to listen, got ${JSON.stringify(first)}`);
    expect((await fetch(`${first.endpoint.url}/health`)).status).toBe(200);
    await supervisor.stop();
    expect(await exits[0]).toBe(0);
  });

  it('exits by itself when it cannot start (a taken fixed port), so it is reported and retried', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const clock = new ManualClock();
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch, plan: { port, ...bundledServerPaths(userData) }, clock, events: seen.events });
    supervisor.start();
    // The manual clock never runs the supervisor's kill timer: the process ends on its own.
    expect(await exits[0]).toBe(1);
    const down = await seen.next(1);
    expect(down).toMatchObject({ kind: 'down', retryInMs: 1000 });
    if (down.kind === 'down') expect(down.reason).toMatch(/EADDRINUSE|in use/);
    clock.advance(1000);
    expect(children).toHaveLength(2);
    await supervisor.stop();
  });

  it('treats a fatal error in the process (the utilityProcess `error` event) as a crash and restarts it', async () => {
    const clock = new ManualClock();
    const seen = recorder();
    const supervisor = new BundledServerSupervisor({ launch, plan: { port: 0, ...bundledServerPaths(userData) }, clock, events: seen.events });
    supervisor.start();
    const first = await seen.next(1);
    if (first.kind !== 'listening') throw new Error('expected the server to listen');
    // How a V8 fatal error ends a process: an abort. The fake emits `error`, then `exit`.
    process.kill(children[0]!.pid!, 'SIGABRT');
    const down = await seen.next(2);
    expect(down).toMatchObject({ kind: 'down', retryInMs: 1000 });
    if (down.kind === 'down') expect(down.reason).toMatch(/crashed \(FatalError at .*SIGABRT/);
    clock.advance(1000);
    expect(await seen.next(3)).toEqual({ kind: 'listening', endpoint: first.endpoint });
    await supervisor.stop();
  });
});
