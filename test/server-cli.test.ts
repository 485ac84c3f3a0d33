// The `herald` CLI: help, flag errors, `publish` against a real server, and the
// one-line failures scripts rely on (server down, 401). `serve` as a process is
// covered by server-restart.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { main } from '../main/cli/cli.ts';
import type { CliIO } from '../main/cli/command.ts';
import { serveOptions } from '../main/cli/serve.ts';
import { defaultDataDir } from '../main/cli/data-dir.ts';
import { TopicFilter } from '../server/protocol/topics.ts';
import { HERALD_BIN } from './support/herald-child.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  const code = await main(argv, io);
  return { code, out, err };
}

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('help and flags', () => {
  it('lists the commands with herald --help and explains each with <command> --help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.out.join('\n')).toMatch(/serve\s+run the status server/);
    expect(top.out.join('\n')).toMatch(/publish\s+publish a message/);
    for (const name of ['serve', 'publish']) {
      const help = await run([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.out.join('\n')).toContain(`usage: herald ${name}`);
    }
  });

  it('names an unknown flag, an unknown command and a bad number', async () => {
    const flag = await run(['serve', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.err).toEqual([expect.stringMatching(/herald serve: .*'--bogus'.*see herald serve --help/)]);
    const command = await run(['srve']);
    expect(command.code).toBe(2);
    expect(command.err[0]).toMatch(/unknown command "srve"; expected one of .*serve/);
    const port = await run(['serve', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.err[0]).toBe('herald serve: expected --port to be an integer from 0 to 65535, got "eighty"');
  });

  it('refuses a duration flag past its maximum, naming the maximum', async () => {
    for (const [flag, value, expected] of [
      ['--heartbeat-sec', '3000000', 'expected --heartbeat-sec to be a number from 0 to 3600, got "3000000"'],
      ['--redis-lease-sec', '7000000', 'expected --redis-lease-sec to be a number from 0.3 to 3600, got "7000000"'],
      ['--retry-ms', '3000000000', 'expected --retry-ms to be an integer from 0 to 3600000, got "3000000000"'],
      ['--retain-days', '100000', 'expected --retain-days to be a number from 0 to 36500, got "100000"'],
    ] as const) {
      const refused = await run(['serve', '--port', '0', flag, value]);
      expect(refused.code).toBe(2);
      expect(refused.err).toEqual([`herald serve: ${expected}`]);
    }
  });

  it('refuses to serve a non-loopback address without a token, saying why', () => {
    const result = spawnSync(process.execPath, [HERALD_BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', '/nonexistent-herald'], {
      encoding: 'utf8',
      env: { ...process.env, HERALD_TOKEN: '' },
      timeout: 10_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^herald serve: refusing to listen on 0.0.0.0 without a token.*--token/);
  });

  it('maps serve flags and environment onto server options', async () => {
    const options = await serveOptions(
      ['--port', '0', '--heartbeat-sec', '0.5', '--retain-events', '10', '--retain-days', '2', '--rate-limit', '5', '--rate-limit-loopback'],
      { HERALD_TOKEN: 'from-env', HERALD_DATA_DIR: '/tmp/h' },
    );
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      token: 'from-env',
      dataDir: '/tmp/h',
      heartbeatMs: 500,
      retention: { maxEventsPerTopic: 10, maxAgeMs: 2 * 24 * 60 * 60 * 1000 },
      rateLimit: { perSec: 5, includeLoopback: true },
    });
  });

  it('keeps data in the platform per-user data folder by default', () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/herald');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/herald');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/herald');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Herald');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/Roaming[\\/]Herald$/);
  });
});

describe('herald publish', () => {
  it('publishes a message with its options and prints the id', async () => {
    server = await startTestServer({ token: 't0k' });
    const result = await run(
      ['publish', 'backups/nightly', 'backup', 'done', '--title', 'Backups', '--priority', 'high', '--tags', 'disk,ok', '--click', 'https://example.com/x'],
      { HERALD_URL: server.url, HERALD_TOKEN: 't0k' },
    );
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^\d+$/)], err: [] });
    const [event] = await server.server.log.readAfter(null, TopicFilter.parse('backups/nightly'), 5);
    expect(event?.id).toBe(result.out[0]);
    expect(event?.data).toMatchObject({ body: 'backup done', title: 'Backups', priority: 4, tags: ['disk', 'ok'], click: 'https://example.com/x' });
  });

  it('fails with one clear line when the token is wrong', async () => {
    server = await startTestServer({ token: 't0k' });
    const result = await run(['publish', 'a', 'hi', '--server', server.url, '--token', 'nope']);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([expect.stringMatching(/^herald publish: 401 from http:\/\/127\.0\.0\.1:\d+: the token does not match/)]);
  });

  it('fails with one clear line when the server is down', async () => {
    const port = await deadPort();
    const result = await run(['publish', 'a', 'hi', '--server', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([`herald publish: cannot reach the server at http://127.0.0.1:${port} (ECONNREFUSED); is \`herald serve\` running there?`]);
  });

  it('fails with one clear line for a bad priority or topic', async () => {
    server = await startTestServer();
    const priority = await run(['publish', 'a', 'hi', '--priority', 'loud', '--server', server.url]);
    expect(priority.code).toBe(1);
    expect(priority.err[0]).toMatch(/^herald publish: 400 .*priority of 1 to 5.*"loud"/);
    const topic = await run(['publish', 'bad topic', 'hi', '--server', server.url]);
    expect(topic.code).toBe(2);
    expect(topic.err[0]).toMatch(/^herald publish: expected a topic of/);
    const missing = await run(['publish', 'a']);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/expected a topic and a message/);
  });
});
