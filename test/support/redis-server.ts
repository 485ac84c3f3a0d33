// A real redis-server (Debian's package) for tests: started on a free 127.0.0.1 port
// with no persistence unless asked, paused or restarted to simulate outages, killed
// at the end.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from './free-port.ts';

export interface RedisServerOptions {
  /** Keep data across restart() with an append-only file fsynced on every write. */
  persistent?: boolean;
  /** Require this password (`requirepass`); `url` then carries it. */
  password?: string;
}

export interface RedisServerProcess {
  readonly port: number;
  /** With the password, when there is one. */
  readonly url: string;
  /** SIGSTOP: the socket stays open, nothing answers (a stalled or partitioned Redis). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGKILL, then nothing listens on the port until start(). */
  kill(): Promise<void>;
  /** Start again on the same port (and, when persistent, with the same data). */
  start(): Promise<void>;
  /** Kill and remove its directory. */
  stop(): Promise<void>;
}

export const REDIS_SERVER_BINARY = process.env.HERALD_REDIS_SERVER ?? 'redis-server';

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const args = () => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    '--loglevel', 'warning',
  ];
  const url = options.password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}`;

  const server: RedisServerProcess = {
    port,
    url,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGCONT');
      running.kill('SIGKILL');
      await exited;
    },
    async start() {
      if (child) throw new Error('redis-server is already running; kill() it first');
      child = await launch(args(), port, url);
    },
    async stop() {
      await server.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return server;
}

async function launch(args: string[], port: number, url: string): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before listening on ${port}: ${output.trim()}`);
    }
    if (await answersPing(url)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not listen on 127.0.0.1:${port} within 10 s: ${output.trim()}`);
}

/** True when the Redis at `url` answers PING. */
export async function answersPing(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

