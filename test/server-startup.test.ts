// Start-up: where `herald serve` takes each option from, and what a failed start
// leaves behind (nothing: the app embeds the server and must not leak a log handle).

import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeraldServer } from '../server/app.ts';
import { serveOptions } from '../main/cli/serve.ts';
import { openSqliteLog } from '../server/store/sqlite-log.ts';
import { rawRequest } from './support/herald-test-server.ts';
import { HERALD_BIN } from './support/herald-child.ts';
import { buildAppDir } from './electron-app-dir.ts';

/** The modules a server loads only when one of their routes is first asked for. */
const LAZY_FEATURE_MODULES = [
  '/server/integrations/ntfy/ntfy-routes.ts',
  '/server/integrations/gotify/gotify-route.ts',
  '/server/integrations/alertmanager.ts',
  '/server/integrations/github.ts',
  '/server/integrations/hooks/hooks-route.ts',
];

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** The URL a bundled server started alone prints in its `listening on` line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the bundled server exited with ${code}`)));
  });
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tempDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'herald-startup-'));
  return dir;
}

describe('herald serve options', () => {
  it('takes the config file server block where no flag or environment variable says otherwise', async () => {
    const root = tempDir();
    const config = join(root, 'herald.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        server: { port: 9123, token: 'from-file', dataDir: join(root, 'data'), heartbeatSec: 3, retention: { maxEventsPerTopic: 50, maxAgeDays: 1 } },
        system: { enabled: false },
      }),
    );
    const fromFile = await serveOptions(['--config', config], {});
    expect(fromFile).toMatchObject({
      host: '127.0.0.1',
      port: 9123,
      token: 'from-file',
      dataDir: join(root, 'data'),
      heartbeatMs: 3000,
      retention: { maxEventsPerTopic: 50, maxAgeMs: 24 * 60 * 60 * 1000 },
    });
    // The loaded file travels with the options, so the sources do not read it again.
    expect(fromFile.config?.system?.enabled).toBe(false);

    const overridden = await serveOptions(['--config', config, '--port', '0', '--retain-events', '7'], { HERALD_TOKEN: 'from-env' });
    expect(overridden).toMatchObject({ port: 0, token: 'from-env', retention: { maxEventsPerTopic: 7, maxAgeMs: 24 * 60 * 60 * 1000 } });
  });

  it('refuses an invalid config file before opening anything, listing every problem', async () => {
    const config = join(tempDir(), 'bad.json');
    writeFileSync(config, JSON.stringify({ server: { port: 'eighty' }, jobs: { backup: { command: 42 } } }));
    await expect(serveOptions(['--config', config], {})).rejects.toThrow(/server\.port[\s\S]*jobs\.backup\.command/);
  });
});

describe('limits from the command line', () => {
  it('accepts a reverse proxy name given with --allowed-hosts and still refuses other hosts', async () => {
    const root = tempDir();
    const config = join(root, 'quiet.json');
    writeFileSync(config, JSON.stringify({ system: { enabled: false } }));
    const options = await serveOptions(
      ['--port', '0', '--data-dir', join(root, 'data'), '--config', config, '--allowed-hosts', 'herald.example.org, status.lan', '--max-subscribers', '5'],
      {},
    );
    expect(options.limits).toMatchObject({ allowedHosts: ['herald.example.org', 'status.lan'], maxSubscribers: 5 });
    const server = await createHeraldServer({ ...options, plugins: [] });
    try {
      const viaProxy = await rawRequest(`${server.url}/health`, { headers: { Host: 'herald.example.org' } });
      expect(viaProxy.status).toBe(200);
      const rebound = await rawRequest(`${server.url}/health`, { headers: { Host: 'attacker.example' } });
      expect(rebound.status).toBe(403);
      // The connection-level limits are the server's own, answered as JSON.
      const longUrl = await rawRequest(`${server.url}/topics?x=${'a'.repeat(9000)}`);
      expect(longUrl.status).toBe(414);
      expect(longUrl.body).toMatchObject({ code: 'uri_too_long' });
    } finally {
      await server.close();
    }
  });
});

describe('stopping', () => {
  it('shuts down gracefully on a SIGTERM sent the moment it says it is listening', async () => {
    // Scripts read "listening on" and may signal at once; the handler must already be
    // there (it once was installed after the line, and such a SIGTERM killed it).
    const root = tempDir();
    for (let run = 0; run < 5; run++) {
      const child = spawn(process.execPath, [HERALD_BIN, 'serve', '--port', '0', '--data-dir', join(root, 'data')], {
        env: { ...process.env, HERALD_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && child.kill('SIGTERM'));
      const [code, signal] = await once(child, 'exit');
      expect({ run, code, signal }).toEqual({ run, code: 0, signal: null });
    }
  });
});

describe('what a server loads', () => {
  it('loads no Redis client unless it is asked to share a Redis, and no prom-client before a scrape', async () => {
    // node-redis is most of the server's code and ~9 MiB of an idle server's memory
    // (bench/results/findings.md); a lone server, like the app's, never needs it.
    const root = tempDir();
    const list = join(root, 'loaded.txt');
    const hook = fileURLToPath(new URL('./support/loaded-modules-hook.mjs', import.meta.url));
    const child = spawn(process.execPath, ['--import', hook, HERALD_BIN, 'serve', '--port', '0', '--data-dir', join(root, 'data')], {
      env: { ...process.env, HERALD_LOADED_MODULES_FILE: list, HERALD_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
      child.once('exit', (code) => reject(new Error(`herald serve exited with ${code}`)));
    });
    child.kill('SIGTERM');
    await once(child, 'exit');
    const loaded = readFileSync(list, 'utf8').split('\n');
    expect(loaded.some((url) => url.includes('/server/app.ts'))).toBe(true);
    expect(loaded.filter((url) => /node_modules\/(@redis|redis)\//.test(url))).toEqual([]);
    // prom-client too waits for the first GET /metrics (~4 MiB of an idle server).
    expect(loaded.filter((url) => url.includes('node_modules/prom-client/'))).toEqual([]);
    // So do the ntfy and Gotify APIs and the webhooks, until their first request
    // (server/http/lazy-routes.ts).
    expect(loaded.filter((url) => LAZY_FEATURE_MODULES.some((module) => url.endsWith(module)))).toEqual([]);
  });

  /** The app's bundled server, built afresh, run by plain Node with its install token; stopped and removed after `use`. */
  async function withBundledServer(use: (url: string, bearer: { Authorization: string }) => Promise<void>): Promise<void> {
    const appDir = buildAppDir();
    const root = tempDir();
    const tokenFile = join(root, 'install-token');
    const bundle = join(appDir, 'dist', 'server', 'herald-server.js');
    const child = spawn(process.execPath, [bundle, '--token-file', tokenFile, '--port', '0', '--data-dir', join(root, 'data')], {
      env: { ...process.env, HERALD_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await listeningUrl(child);
      await use(url, { Authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(appDir, { recursive: true, force: true });
    }
  }

  it('the bundled server loads the ntfy and Gotify APIs and the webhooks on their first requests', async () => {
    // Each is its own chunk of the bundle, imported by its first request; two ntfy
    // publishes at once both wait for the one load.
    await withBundledServer(async (url, bearer) => {
      const [one, two] = await Promise.all([
        rawRequest(`${url}/desk`, { method: 'POST', headers: { ...bearer, Title: 'one' }, body: 'first' }),
        rawRequest(`${url}/desk`, { method: 'POST', headers: { ...bearer, Title: 'two' }, body: 'second' }),
      ]);
      expect([one.status, one.body?.message, two.status, two.body?.message]).toEqual([200, 'first', 200, 'second']);
      const gotify = await rawRequest(`${url}/message`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{"message": "pushed"}' });
      expect(gotify).toMatchObject({ status: 200, body: { message: 'pushed' } });
      const json = { ...bearer, 'Content-Type': 'application/json' };
      const github = await rawRequest(`${url}/hooks/github`, { method: 'POST', headers: { ...json, 'X-GitHub-Event': 'ping' }, body: fixture('github/ping.json') });
      expect(github).toMatchObject({ status: 201, body: { topic: expect.stringMatching(/^github\//) } });
      const alertmanager = await rawRequest(`${url}/hooks/alertmanager`, { method: 'POST', headers: json, body: fixture('alertmanager/firing.json') });
      expect(alertmanager).toMatchObject({ status: 200, body: { changed: expect.any(Number) } });
      expect(alertmanager.body.changed).toBeGreaterThan(0);
      const unknownHook = await rawRequest(`${url}/hooks/nightly`, { method: 'POST', headers: json, body: '{}' });
      expect(unknownHook).toMatchObject({ status: 404, body: { code: 'not_found' } });
    });
  });

  it('the bundled server (prom-client in its own chunk) answers GET /metrics', async () => {
    // esbuild hands a dynamically imported CommonJS package over as `default` only.
    await withBundledServer(async (url, bearer) => {
      const metrics = await rawRequest(`${url}/metrics`, { headers: bearer });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^herald_info\{store="sqlite"\} 1$/m);
    });
  });
});

describe('a server that fails to start', () => {
  it('stops the plugins that started and closes the log when a later plugin throws', async () => {
    const log = openSqliteLog({ path: join(tempDir(), 'events.sqlite'), retention: {} });
    let firstStopped = false;
    await expect(
      createHeraldServer({
        port: 0,
        log,
        plugins: [() => ({ stop: () => void (firstStopped = true) }), () => Promise.reject(new Error('source refused'))],
      }),
    ).rejects.toThrow('source refused');
    expect(firstStopped).toBe(true);
    await expect(log.append([{ type: 'notify', data: { topic: 't', time: 1, body: 'x', priority: 3, tags: [] } }])).rejects.toThrow(/closed/);
  });
});
