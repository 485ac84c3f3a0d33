// `herald serve --config` with files that are not config files, as a real process:
// a FIFO (which once blocked start-up for ever, deaf to Ctrl-C), /dev/zero (which
// once ate memory until the string limit), a file over 1 MiB, bytes that are not
// UTF-8; and a signal while start-up waits for a Redis that does not answer.

import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HERALD_BIN, runHerald } from './support/herald-cli.ts';
import { waitUntil } from './support/herald-test-server.ts';
import { startRedisServer, type RedisServerProcess } from './support/redis-server.ts';

let dir: string;
let redis: RedisServerProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-config-file-'));
});
afterEach(async () => {
  redis?.resume();
  await redis?.stop();
  redis = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** `herald serve --config FILE` to its end; a file it accepts would make it listen, and time out. */
function serveWith(config: string) {
  return runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', config], { timeoutMs: 15_000 });
}

describe('herald serve --config refuses what is not a config file', () => {
  it('refuses a FIFO at once, without opening it (no writer ever comes)', async () => {
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await serveWith(fifo);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`herald serve: cannot read config file ${fifo}: expected a regular file, got a named pipe (FIFO)\n`);
    expect(result.stdout).toBe('');
  });

  it('refuses /dev/zero without reading it', async () => {
    const result = await serveWith('/dev/zero');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('herald serve: cannot read config file /dev/zero: expected a regular file, got a character device\n');
  });

  it('refuses a directory', async () => {
    const result = await serveWith(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`herald serve: cannot read config file ${dir}: expected a regular file, got a directory\n`);
  });

  it('refuses a file over 1 MiB, and accepts one of exactly 1 MiB', async () => {
    const limit = 1024 * 1024;
    // Valid JSON either way: an empty config padded with spaces.
    const over = join(dir, 'over.json');
    await writeFile(over, `{}${' '.repeat(limit - 1)}`);
    const refused = await serveWith(over);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`herald serve: cannot read config file ${over}: expected at most ${limit} bytes (1 MiB), got more\n`);

    const exact = join(dir, 'exact.json');
    await writeFile(exact, `{"system":{"enabled":false}}${' '.repeat(limit - 28)}`);
    const child = spawn(process.execPath, [HERALD_BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', exact], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitUntil(() => output.includes('listening on') || child.exitCode !== null, () => output, 15_000);
      expect(output).toMatch(/^listening on http:\/\//);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses bytes that are not UTF-8, naming where they are, instead of running a changed command', async () => {
    const file = join(dir, 'latin1.json');
    // "café" saved as Latin-1: the é is the single byte 0xE9.
    const text = Buffer.concat([
      Buffer.from('{\n  "jobs": {\n    "greet": { "command": "echo caf'),
      Buffer.from([0xe9]),
      Buffer.from('" }\n  }\n}\n'),
    ]);
    await writeFile(file, text);
    const offset = text.indexOf(0xe9);
    const column = offset - text.lastIndexOf(0x0a, offset); // 1-based, in bytes
    const result = await serveWith(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `herald serve: cannot read config file ${file}: expected UTF-8 text, got bytes that are not UTF-8 at byte ${offset} (line 3, column ${column}: 0xe9 0x22 0x20 0x7d); save the file as UTF-8\n`,
    );
  });
});

/** True when process `pid` has an established TCP connection to 127.0.0.1:`port`. */
function connectedTo(pid: number, port: number): boolean {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((inode): inode is string => inode !== undefined),
    );
  } catch {
    return false;
  }
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some((f) => f[2] === remote && f[3] === '01' && inodes.has(f[9]!));
}

describe('signals during start-up', () => {
  it('SIGTERM while start-up waits for a Redis that does not answer stops herald serve', async () => {
    redis = await startRedisServer();
    redis.pause(); // the socket accepts (the kernel does that), nothing answers
    const child = spawn(process.execPath, [HERALD_BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--redis', redis.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    const safety = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      // Connected to Redis means start-up is under way, past installing its handlers.
      await waitUntil(() => connectedTo(child.pid!, redis!.port), () => `no connection to Redis yet; output: ${output}`, 10_000);
      child.kill('SIGTERM');
      // A graceful stop (0), not Node's default death by SIGTERM, and no SIGKILL from the safety bound.
      expect(await exited).toBe(0);
      expect(output).not.toContain('listening on');
    } finally {
      clearTimeout(safety);
    }
  }, 30_000);
});
