// Runs the real `herald` CLI (bin/herald.js) as a child process, bounded in time,
// collecting its output; for tests that need a separate process (exit codes,
// `serve` start-up, signals).

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HERALD_BIN = fileURLToPath(new URL('../../bin/herald.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `herald ...args` to completion; kills it and rejects after `timeoutMs`. */
export function runHerald(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HERALD_BIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`herald ${args.join(' ')} did not finish in ${options.timeoutMs ?? 15_000} ms; stdout ${stdout} stderr ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGTERM, then wait for exit (SIGKILL after 5 s). */
  stop(): Promise<number | null>;
}

/** Start `herald serve ...args` and resolve once it prints its `listening on` line. */
export function startHeraldServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HERALD_BIN, 'serve', '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const stop = async (): Promise<number | null> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    };
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`herald serve did not start in 15 s: ${output}`));
    }, 15_000);
    const onData = (text: string): void => {
      output += text;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`herald serve exited with ${code} before listening: ${output}`));
    });
  });
}
