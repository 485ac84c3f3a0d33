// Every child process the benchmark starts goes through here, so that (1) each gets a
// file-descriptor limit high enough for 10,000 sockets and (2) an interrupted or
// timed-out benchmark can kill exactly the processes it started, and nothing else.

import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';

/** Sockets for 10,000 subscribers plus headroom; the hard limit is raised too where allowed (root). */
export const FD_LIMIT = 65_536;

// `ulimit -n` in sh sets both limits; where the hard limit cannot be raised, fall back
// to it. `exec` keeps the pid, so the pid we hold is the node process's own.
const RAISE_FD_LIMIT = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;

const running = new Set<ChildProcess>();

export function spawnWithFdLimit(
  command: string,
  args: readonly string[],
  options: { stdio: StdioOptions; env?: NodeJS.ProcessEnv; cwd?: string },
): ChildProcess {
  const child = spawn('sh', ['-c', RAISE_FD_LIMIT, command, ...args], {
    stdio: options.stdio,
    env: options.env ?? process.env,
    cwd: options.cwd,
    serialization: 'json',
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Resolves when `child` has exited; SIGTERM first, SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kill, by pid, every child still running (on interrupt or deadline). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}
