// `herald serve` as a real child process: started with `node bin/herald.js serve`,
// ready once it prints its `listening on` line, killed at the end.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HERALD_BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));

export interface HeraldChild {
  process: ChildProcess;
  url: string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export function startHeraldChild(args: string[], timeoutMs = 10_000, env: NodeJS.ProcessEnv = process.env): Promise<HeraldChild> {
  const child = spawn(process.execPath, [HERALD_BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`herald serve printed no listening line within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`herald serve exited (${code}) before listening; stderr: ${stderr}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        process: child,
        url: match[1]!,
        stderr: () => stderr,
        exited,
        kill(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
