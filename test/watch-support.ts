// Child processes for the `herald watch` tests: `node bin/herald.js <args>` with its
// output collected line by line, waits that are bounded and say what they saw, and
// cleanup that kills whatever is still running.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
export { freePort } from './support/free-port.ts';

export const HERALD_BIN = fileURLToPath(new URL('../bin/herald.js', import.meta.url));

export interface HeraldProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves with the first stdout or stderr line matching, within `timeoutMs`. */
  waitForLine(stream: 'stdout' | 'stderr', match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<HeraldProcess>();

export function spawnHerald(args: string[], env: Record<string, string> = {}): HeraldProcess {
  const child = spawn(process.execPath, [HERALD_BIN, ...args], {
    env: { ...process.env, HERALD_URL: '', HERALD_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters = new Set<() => void>();
  for (const name of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[name]!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines[name].push(...parts);
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const proc: HeraldProcess = {
    child,
    stdout: lines.stdout,
    stderr: lines.stderr,
    exited,
    waitForLine(stream, match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines[stream].find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${stream} line within ${timeoutMs} ms; stdout: ${JSON.stringify(lines.stdout.slice(-20))} stderr: ${JSON.stringify(lines.stderr.slice(-20))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      running.delete(proc);
    },
  };
  running.add(proc);
  exited.then(() => running.delete(proc));
  return proc;
}

/** Kill every child still running (call from afterEach). */
export async function killAllHerald(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.kill('SIGKILL')));
}

/** `herald serve` on `port` (0: any), resolved once it prints its URL. */
export async function spawnServer(dataDir: string, port = 0, extra: string[] = []): Promise<{ proc: HeraldProcess; url: string }> {
  const proc = spawnHerald(['serve', '--port', String(port), '--data-dir', dataDir, ...extra]);
  const line = await proc.waitForLine('stdout', (l) => l.startsWith('listening on '), 15_000);
  return { proc, url: line.slice('listening on '.length).trim() };
}


/** POST a message, retrying while the server is down (bounded). */
export async function publishWhenUp(url: string, topic: string, body: object, timeoutMs = 15_000): Promise<{ id: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/topics/${topic}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status === 201) return (await response.json()) as { id: string };
      throw new Error(`publish answered ${response.status}: ${await response.text()}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
