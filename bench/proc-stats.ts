// What the kernel says a process uses: resident memory (VmRSS in /proc/<pid>/status)
// and CPU time (utime + stime in /proc/<pid>/stat, proc(5)). Linux only, as the
// benchmark is.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Resident set size in KiB, or null when the process is gone. */
export function rssKiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** User plus system CPU seconds the process has used, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces or parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / clockTicks();
  } catch {
    return null;
  }
}

/** Samples CPU use between two moments, as % of one core. */
export class CpuMeter {
  private readonly pids: readonly number[];
  private startCpu = 0;
  private startWall = 0;

  constructor(pids: readonly number[]) {
    this.pids = pids;
  }

  start(): void {
    this.startCpu = this.total();
    this.startWall = performance.now();
  }

  percent(): number {
    const wallSec = (performance.now() - this.startWall) / 1000;
    return wallSec > 0 ? ((this.total() - this.startCpu) / wallSec) * 100 : 0;
  }

  private total(): number {
    let sum = 0;
    for (const pid of this.pids) sum += cpuSeconds(pid) ?? 0;
    return sum;
  }
}

/**
 * Connections the kernel dropped because a listening socket's accept queue was full
 * (TcpExt ListenOverflows in /proc/net/netstat), for the whole network namespace; a
 * dropped SYN is retried by the client after 1 s, then 3 s, 7 s... Null if unreadable.
 */
export function listenOverflows(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = (lines[i] as string).split(/\s+/);
      const values = (lines[i + 1] as string).split(/\s+/);
      if (names[0] !== 'TcpExt:') continue;
      const at = names.indexOf('ListenOverflows');
      return at === -1 ? null : Number(values[at]);
    }
    return null;
  } catch {
    return null;
  }
}
