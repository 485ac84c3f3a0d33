// Running configured command lines: `sh -c` on POSIX, `cmd /d /s /c` on Windows, in
// a process group of their own so that cancel and timeout stop the whole tree (a
// shell's children included), not just the shell (server/sources/process-group.ts),
// and without the server's secrets in their environment.

import { spawn, type ChildProcess } from 'node:child_process';
import { constants, homedir } from 'node:os';
import { join } from 'node:path';
import { safeTimers } from '../protocol/long-timer.ts';

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

/**
 * Environment variables that hold the server's own secrets. Jobs and probes run
 * without them: a probe printing $HERALD_TOKEN would publish the token. A job's
 * configured `env` may still pass one on purpose.
 */
export const SERVER_SECRET_ENV: readonly string[] = ['HERALD_TOKEN', 'HERALD_REDIS_URL'];

/** The server's environment without its secrets (names compared case-blind, as Windows does), plus `extra`. */
export function commandEnv(extra: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secret = new Set(SERVER_SECRET_ENV.map((name) => name.toUpperCase()));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!secret.has(name.toUpperCase())) env[name] = value;
  return { ...env, ...extra };
}

/** Start `command` through the platform shell, stdin closed, stdout and stderr piped. */
export function spawnShell(command: string, options: ShellOptions = {}): ChildProcess {
  const env = commandEnv(options.env);
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

/**
 * Resolves once the command has exited and its output has been read: when its
 * stdout and stderr close, or `drainMs` after the exit at the latest. A background
 * child may hold the pipes open for ever; the command's end is its own exit.
 */
export function whenExited(child: ChildProcess, drainMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      const drained = safeTimers.setTimeout(() => resolve({ code, signal }), drainMs);
      child.once('close', () => {
        safeTimers.clearTimeout(drained);
        resolve({ code, signal });
      });
    });
  });
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
