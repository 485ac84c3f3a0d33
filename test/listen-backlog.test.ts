// The listen backlog (`--listen-backlog`, `server.listenBacklog`, HERALD_LISTEN_BACKLOG):
// each source reaches the listening socket. The kernel reports a listening socket's
// backlog as its Send-Q (`ss -ltn`), so the tests read it there, from real servers.

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveOptions } from '../main/cli/serve.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';
import { startHeraldServe, type ServeProcess } from './support/herald-cli.ts';

/** The backlog the kernel holds for the socket listening on `url`'s port. */
function kernelBacklog(url: string): number {
  const port = new URL(url).port;
  const line = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim();
  // "LISTEN 0 4096 127.0.0.1:PORT 0.0.0.0:*": state, Recv-Q, Send-Q (the backlog), ...
  const backlog = Number(line.split(/\s+/)[2]);
  if (!Number.isInteger(backlog)) throw new Error(`expected one listening socket on port ${port} in ss, got ${JSON.stringify(line)}`);
  return backlog;
}

const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));

let server: TestServer | undefined;
let serve: ServeProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = serve = dir = undefined;
});

describe('listen backlog', () => {
  it('listens with 4096 by default (the kernel caps it at somaxconn), not Node 511', async () => {
    server = await startTestServer();
    expect(kernelBacklog(server.url)).toBe(Math.min(4096, somaxconn));
  });

  it('listens with the backlog the options give', async () => {
    server = await startTestServer({ limits: { listenBacklog: 37 } });
    expect(kernelBacklog(server.url)).toBe(37);
  });

  it('herald serve takes it from the flag, then the environment, then the config file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-backlog-'));
    const config = join(dir, 'herald.config.json');
    writeFileSync(config, JSON.stringify({ server: { listenBacklog: 300 }, system: { enabled: false } }));
    expect((await serveOptions(['--config', config], {})).limits?.listenBacklog).toBe(300);
    expect((await serveOptions(['--config', config], { HERALD_LISTEN_BACKLOG: '200' })).limits?.listenBacklog).toBe(200);
    const flagged = await serveOptions(['--config', config, '--listen-backlog', '100', '--max-subscribers', '9'], { HERALD_LISTEN_BACKLOG: '200' });
    expect(flagged.limits).toMatchObject({ listenBacklog: 100, maxSubscribers: 9 });

    serve = await startHeraldServe(['--data-dir', join(dir, 'data'), '--config', config], { HERALD_LISTEN_BACKLOG: '53', HERALD_TOKEN: '' });
    expect(kernelBacklog(serve.url)).toBe(53);
  });

  it('refuses a backlog that is not an integer from 1 to 65535, saying what arrived', async () => {
    for (const bad of ['0', '-5', '1.5', 'lots', '70000', ' ']) {
      await expect(serveOptions([`--listen-backlog=${bad}`], {})).rejects.toThrow(
        `herald serve: expected --listen-backlog to be an integer from 1 to 65535, got ${JSON.stringify(bad)}`,
      );
    }
    await expect(serveOptions([], { HERALD_LISTEN_BACKLOG: 'many' })).rejects.toThrow(
      'herald serve: expected HERALD_LISTEN_BACKLOG to be an integer from 1 to 65535, got "many"',
    );
    dir = mkdtempSync(join(tmpdir(), 'herald-backlog-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ server: { listenBacklog: 0 } }));
    await expect(serveOptions(['--config', config], {})).rejects.toThrow(/server\.listenBacklog/);
  });
});
