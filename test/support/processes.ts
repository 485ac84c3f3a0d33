// Looking at real processes a test started through a job or a probe: whether one is
// still alive, waiting (bounded) for it to go, reading the pid a command wrote, and
// killing what a failing test left behind.

import { readFileSync } from 'node:fs';

/** True while `pid` runs; a zombie (exited, not yet reaped) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child of a killed shell may linger as a zombie until someone reaps it.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Resolves true once `pid` is gone, false if it is still alive after `timeoutMs`. */
export async function waitUntilGone(pid: number, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return !processAlive(pid);
}

/** The pid a command wrote to `file`, once it is there (rejects after `timeoutMs`). */
export async function readPidFile(file: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // not written yet
    }
    if (/^\d+\n/.test(text)) return Number.parseInt(text, 10);
    if (Date.now() > deadline) throw new Error(`no pid in ${file} within ${timeoutMs} ms (read ${JSON.stringify(text)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGKILL `pid` if it still runs (cleanup after a test that may have failed). */
export function killIfAlive(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}
