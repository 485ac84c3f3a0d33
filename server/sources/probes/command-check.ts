// One command check: run the command through the shell; its trimmed stdout is the
// value (a number when it reads as one). A non-zero exit or a timeout is a failure.

import type { ProbeConfig } from '../../config/config-types.ts';
import { exitStatus, killTree, spawnShell } from '../shell.ts';
import { numericValue, type ProbeReading } from './probe-reading.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;

export function checkCommand(config: ProbeConfig & { command: string }, signal: AbortSignal): Promise<ProbeReading> {
  const timeoutSec = config.timeoutSec ?? 10;
  return new Promise((resolve) => {
    const child = spawnShell(config.command, config.cwd === undefined ? {} : { cwd: config.cwd });
    let stdout = '';
    let stderr = '';
    let stopped: string | null = null;
    const stop = (reason: string): void => {
      stopped ??= reason;
      killTree(child, 'SIGKILL');
    };
    const timer = setTimeout(() => stop(`no result within ${timeoutSec}s`), timeoutSec * 1000);
    const onAbort = (): void => stop('check stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (stdout.length > MAX_OUTPUT_CHARS) stop(`output over ${MAX_OUTPUT_CHARS} characters`);
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-MAX_OUTPUT_CHARS);
    });
    const done = (reading: ProbeReading): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(reading);
    };
    child.once('error', (error) => done({ ok: false, metric: 'reachable', reason: `could not run ${JSON.stringify(config.command)}: ${error.message}` }));
    child.once('close', (code, signalName) => {
      if (stopped !== null) return done({ ok: false, metric: 'reachable', reason: `${JSON.stringify(config.command)}: ${stopped}` });
      const status = exitStatus(code, signalName);
      if (status !== 0) {
        const lastError = stderr.trim().split('\n').at(-1) ?? '';
        const detail = lastError === '' ? '' : `: ${lastError}`;
        return done({ ok: false, metric: 'value', reason: `${JSON.stringify(config.command)} exited with code ${status}${detail}` });
      }
      const text = stdout.trim();
      done({ ok: true, value: numericValue(text) ?? text });
    });
  });
}
