// One command check: run the command through the shell; its trimmed stdout is the
// value (a number when it reads as one). A non-zero exit or a timeout is a failure.
// The check ends when the command exits, not when every holder of its stdout has
// closed it: `sleep 300 & echo 7` reads 7 at once. What the command left running in
// its process group is killed then; a child that left the group (setsid) is not
// reachable, and only its pipe is let go.

import type { ProbeConfig } from '../../config/config-types.ts';
import { safeTimers } from '../../protocol/long-timer.ts';
import { killLeftovers } from '../process-group.ts';
import { exitStatus, spawnShell, whenExited } from '../shell.ts';
import { numericValue, type ProbeReading } from './probe-reading.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;

/** After the command exits, how long its output may take to arrive. */
const DRAIN_MS = 250;

export function checkCommand(config: ProbeConfig & { command: string }, signal: AbortSignal): Promise<ProbeReading> {
  const timeoutSec = config.timeoutSec ?? 10;
  const command = JSON.stringify(config.command);
  return new Promise((resolve) => {
    const child = spawnShell(config.command, config.cwd === undefined ? {} : { cwd: config.cwd });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (reading: ProbeReading): void => {
      if (settled) return;
      settled = true;
      safeTimers.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Nothing of the check outlives it: leftovers in its group are killed, and
      // pipes a detached child still holds are closed on this side.
      killLeftovers(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(reading);
    };
    const fail = (reason: string): void => done({ ok: false, metric: 'reachable', reason: `${command}: ${reason}` });
    const timer = safeTimers.setTimeout(() => fail(`no result within ${timeoutSec}s`), timeoutSec * 1000);
    const onAbort = (): void => fail('check stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (stdout.length > MAX_OUTPUT_CHARS) fail(`output over ${MAX_OUTPUT_CHARS} characters`);
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-MAX_OUTPUT_CHARS);
    });
    child.once('error', (error) => done({ ok: false, metric: 'reachable', reason: `could not run ${command}: ${error.message}` }));
    void whenExited(child, DRAIN_MS).then(({ code, signal: signalName }) => {
      const status = exitStatus(code, signalName);
      if (status !== 0) {
        const lastError = stderr.trim().split('\n').at(-1) ?? '';
        const detail = lastError === '' ? '' : `: ${lastError}`;
        return done({ ok: false, metric: 'value', reason: `${command} exited with code ${status}${detail}` });
      }
      const text = stdout.trim();
      done({ ok: true, value: numericValue(text) ?? text });
    });
  });
}
