// Stopping what a command started. spawnShell puts each command in a process group
// of its own, so one signal reaches the shell, its children and theirs, even after
// the shell itself has exited. A child that calls setsid (or daemonizes) leaves the
// group, and with it Herald's reach: docs/security.md says so.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { safeTimers } from '../protocol/long-timer.ts';

const isWindows = process.platform === 'win32';

/** How often a stopping group is checked for members left. */
const POLL_MS = 50;

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

/**
 * SIGKILL whatever is left of the tree. After the shell has exited this reaches
 * only its process group on POSIX; on Windows nothing is done then, since a pid
 * there is soon reused and taskkill /T needs the live parent to find the tree.
 */
export function killLeftovers(child: ChildProcess): void {
  const exited = child.exitCode !== null || child.signalCode !== null;
  if (isWindows && exited) return;
  killTree(child, 'SIGKILL');
}

/**
 * Whether process group `pgid` still has a member that is not a zombie. kill(2)
 * with signal 0 counts zombies too, and an init that never reaps orphans (some
 * containers' PID 1) keeps those for ever, so on Linux /proc has the last word.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM: a member runs as another user now (setuid); it is there all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/**
 * Stop the tree started by spawnShell: SIGTERM to its process group, then SIGKILL
 * to whatever of the group is left after `graceMs`. The SIGKILL does not depend on
 * the shell: a shell that exits on SIGTERM while a child ignores it still gets its
 * child killed. Resolves once the group is empty or has been sent SIGKILL.
 */
export function stopTree(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return Promise.resolve();
  if (isWindows) {
    // taskkill /T /F ends the tree at once; Windows has no SIGTERM to wait out.
    killTree(child, 'SIGKILL');
    return Promise.resolve();
  }
  killTree(child, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (!groupAlive(pgid)) return resolve();
      const left = deadline - Date.now();
      if (left <= 0) {
        killTree(child, 'SIGKILL');
        return resolve();
      }
      safeTimers.setTimeout(check, Math.min(POLL_MS, left));
    };
    safeTimers.setTimeout(check, Math.min(POLL_MS, graceMs));
  });
}
