// The scale-out target: a redis-server and N `herald serve --redis` instances, each a
// child process on 127.0.0.1 (through bench/child-processes.ts, so a deadline or
// Ctrl-C kills them too). Subscribers are spread over the instances' urls; publishes
// go to the first; every figure about "the server" (CPU, RSS) covers all instances
// AND Redis, since together they are what serves.

import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnWithFdLimit, stopChild } from './child-processes.ts';
import { rssKiB } from './proc-stats.ts';
import type { RunningServer } from './server-process.ts';
import { HERALD, type ServerTarget, type StartOptions } from './targets.ts';
import { freePort } from '../test/support/free-port.ts';
import { answersPing } from '../test/support/redis-server.ts';

const REDIS_SERVER = process.env.HERALD_REDIS_SERVER ?? 'redis-server';

function redisUnavailable(): string | null {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${REDIS_SERVER} is not installed (apt-get install redis-server)`;
}


async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  // No persistence: the benchmark measures the stream, not the disk.
  const child = spawnWithFdLimit(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on ${url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, url };
}

class RedisCluster implements RunningServer {
  readonly urls: readonly string[];
  readonly pids: readonly number[];
  readonly #instances: readonly RunningServer[];
  readonly #redis: ChildProcess;

  constructor(instances: readonly RunningServer[], redis: ChildProcess) {
    this.#instances = instances;
    this.#redis = redis;
    this.urls = instances.flatMap((instance) => instance.urls);
    this.pids = [...instances.flatMap((instance) => instance.pids), redis.pid as number];
  }

  rssKiB(): number | null {
    let total = 0;
    for (const pid of this.pids) {
      const kib = rssKiB(pid);
      if (kib === null) return null;
      total += kib;
    }
    return total;
  }

  output(): string {
    return this.#instances.map((instance, i) => `--- instance ${i + 1}\n${instance.output()}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.#instances.map((instance) => instance.stop()));
    await stopChild(this.#redis, 2000);
  }
}

/** `instances` Herald servers over one fresh Redis. */
export function heraldOverRedis(instances: number): ServerTarget {
  return {
    name: `herald-redis-${instances}`,
    label: `Herald x${instances} over Redis`,
    unavailable: () => HERALD.unavailable() ?? redisUnavailable(),
    async start(options: StartOptions): Promise<RunningServer> {
      const redis = await startRedis();
      const started: RunningServer[] = [];
      try {
        for (let i = 0; i < instances; i++) {
          const dataDir = path.join(options.workDir, `herald-${i + 1}`);
          mkdirSync(dataDir, { recursive: true });
          const instance = await HERALD.start({
            ...options,
            serverArgs: ['--redis', redis.url, ...(options.serverArgs ?? [])],
            workDir: dataDir,
          });
          started.push(instance);
        }
      } catch (error) {
        await Promise.all(started.map((instance) => instance.stop()));
        await stopChild(redis.child, 2000);
        throw error;
      }
      return new RedisCluster(started, redis.child);
    },
  };
}

export const HERALD_REDIS_3 = heraldOverRedis(3);
export const HERALD_REDIS_1 = heraldOverRedis(1);
