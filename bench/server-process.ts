// A server under test running as a child process: started with a raised fd limit,
// ready once it prints `listening on http://...` (the line `herald serve` and the
// reference servers print), sampled through /proc, and stopped with SIGTERM (or
// killed with SIGKILL, as the reconnect storm does).

import type { ChildProcess } from 'node:child_process';
import { spawnWithFdLimit, stopChild } from './child-processes.ts';
import { rssKiB } from './proc-stats.ts';

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const OUTPUT_KEPT = 4000;

export interface RunningServer {
  /** Base URLs (one per instance; a scale-out target has several). */
  readonly urls: readonly string[];
  readonly pids: readonly number[];
  /** Total resident memory of the instances, KiB. */
  rssKiB(): number | null;
  /** The last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL (no shutdown at all), resolved once the process is gone; for a single process. */
  kill?(): Promise<void>;
}

export interface ServerCommand {
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  startTimeoutMs?: number;
}

export class ServerProcess implements RunningServer {
  readonly urls: readonly string[];
  readonly pids: readonly number[];
  private readonly child: ChildProcess;
  private readonly log: { text: string };

  private constructor(child: ChildProcess, url: string, log: { text: string }) {
    this.child = child;
    this.urls = [url];
    this.pids = [child.pid as number];
    this.log = log;
  }

  static start(spec: ServerCommand): Promise<ServerProcess> {
    const child = spawnWithFdLimit(spec.command, spec.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: spec.env,
      cwd: spec.cwd,
    });
    const log = { text: '' };
    const keep = (chunk: Buffer): void => {
      log.text = (log.text + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timeoutMs = spec.startTimeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${spec.name} did not start: ${why}\n${log.text.trim()}`));
      };
      const timer = setTimeout(() => fail(`no "listening on" line within ${timeoutMs} ms`), timeoutMs);
      const onData = (): void => {
        const match = LISTENING.exec(log.text);
        if (!match) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(new ServerProcess(child, match[1] as string, log));
      };
      const onExit = (code: number | null, signal: string | null): void => fail(`exited (${signal ?? `code ${code}`})`);
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', (error) => fail(error.message));
    });
  }

  rssKiB(): number | null {
    return rssKiB(this.pids[0] as number);
  }

  output(): string {
    return this.log.text;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  stop(): Promise<void> {
    return stopChild(this.child, 5000);
  }

  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}
