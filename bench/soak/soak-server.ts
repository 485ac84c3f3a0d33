// The server under soak: `herald serve` as a child process on a fixed port and data
// dir, so it can be SIGKILLed and started again where clients expect it. Each life
// ("incarnation") is sampled through /proc: resident memory, and open file
// descriptors split into sockets and the rest, next to the connections /health
// counts, so a leak shows as descriptors no open connection explains.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rssKiB } from '../proc-stats.ts';
import { sleep } from './seeded-random.ts';
export { freePort } from '../../test/support/free-port.ts';

const HERALD_BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));

export interface ProcessSample {
  /** Milliseconds since the soak began. */
  atMs: number;
  rssKiB: number;
  fds: number;
  socketFds: number;
  /** Open connections the server itself counts (GET /health), this request's included. */
  connections: number;
}

export interface Incarnation {
  pid: number;
  start?: ProcessSample;
  end?: ProcessSample;
}


export class SoakServer {
  readonly url: string;
  readonly incarnations: Incarnation[] = [];
  readonly #args: string[];
  readonly #began: number;
  #child: ChildProcess | null = null;
  #output = '';

  constructor(options: { port: number; dataDir: string; args: string[]; began: number }) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.#args = ['serve', '--port', String(options.port), '--data-dir', options.dataDir, ...options.args];
    this.#began = options.began;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** The last lines the server printed, for error messages. */
  output(): string {
    return this.#output.slice(-2000);
  }

  /** Start and wait for `listening on`; retries while the port is still taken (a few seconds at most). */
  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.#child = await this.#spawn();
        this.incarnations.push({ pid: this.#child.pid! });
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(250);
      }
    }
  }

  /** SIGKILL: no goodbye to anyone, nothing flushed but what SQLite already committed. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** SIGTERM: a clean shutdown (clients' streams closed, log closed). */
  async stop(): Promise<void> {
    await this.#signal('SIGTERM');
  }

  /** Sample the running process; stored as the current life's start or end. */
  async sample(which: 'start' | 'end'): Promise<ProcessSample | null> {
    const pid = this.pid;
    const life = this.incarnations[this.incarnations.length - 1];
    if (pid === null || life === undefined || life.pid !== pid) return null;
    let connections: number;
    try {
      const health = (await (await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) })).json()) as { connections: number };
      connections = health.connections;
    } catch {
      return null;
    }
    const fds = openFds(pid);
    const rss = rssKiB(pid);
    if (fds === null || rss === null) return null;
    const sample: ProcessSample = { atMs: Date.now() - this.#began, rssKiB: rss, fds: fds.total, socketFds: fds.sockets, connections };
    life[which] = sample;
    return sample;
  }

  #spawn(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [HERALD_BIN, ...this.#args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-8000);
    };
    child.stderr.on('data', keep);
    return new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => fail('printed no "listening on" line within 30 s'), 30_000);
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`herald serve ${why}: ${this.output()}`));
      };
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        keep(chunk);
        if (!/listening on http:\/\//.test(stdout)) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      });
    });
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(escalate);
  }
}

/** Open descriptors of `pid`, and how many are sockets; null when the process is gone. */
export function openFds(pid: number): { total: number; sockets: number } | null {
  try {
    const names = readdirSync(`/proc/${pid}/fd`);
    let sockets = 0;
    for (const name of names) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${name}`).startsWith('socket:')) sockets++;
      } catch {
        // closed between the listing and the look
      }
    }
    return { total: names.length, sockets };
  } catch {
    return null;
  }
}
