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
