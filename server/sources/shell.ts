// Running configured command lines: `sh -c` on POSIX, `cmd /d /s /c` on Windows, in
// a process group of their own so that cancel and timeout stop the whole tree (a
// shell's children included), not just the shell.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants, homedir } from 'node:os';
import { join } from 'node:path';

const isWindows = process.platform === 'win32';

/** `~` and `~/x` mean the user's home folder, as in a shell. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

export interface ShellOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** Start `command` through the platform shell, stdin closed, stdout and stderr piped. */
export function spawnShell(command: string, options: ShellOptions = {}): ChildProcess {
  const env = { ...process.env, ...options.env };
  const cwd = options.cwd === undefined ? undefined : expandHome(options.cwd);
  if (isWindows) {
    // cmd's /s /c strips the outer quotes and runs the rest verbatim.
    return spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], {
      cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsVerbatimArguments: true, windowsHide: true,
    });
  }
  // detached: the child leads a new process group, whose id is its pid (setsid).
  return spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** Signal the whole process tree started by spawnShell. Never throws. */
export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (isWindows) {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      // A negative pid addresses the process group (kill(2)); the group may
      // outlive the shell when a background child holds it.
      process.kill(-child.pid, signal);
    }
  } catch {
    // The group is gone already (ESRCH): nothing left to stop.
  }
}

/** The shell convention for a child's status: its exit code, or 128 + the signal number. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number | null {
  if (code !== null) return code;
  if (signal === null) return null;
  const number = signalNumber(signal);
  return number === null ? null : 128 + number;
}

function signalNumber(signal: NodeJS.Signals): number | null {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return number ?? null;
}
