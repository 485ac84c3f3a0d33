// Reads the machine's health: CPU % since the previous read (from os.cpus() tick
// counters), memory in use, disk use per mount (statfs, counted as df does: used
// over used + available to unprivileged users), load average and uptime.

import { statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import { parse } from 'node:path';

export interface SystemSample {
  /** Percent of CPU time busy since the previous read, over all cores. */
  cpu: number;
  memory: number;
  /** Percent used per mount point. */
  disk: Record<string, number>;
  /** Mounts whose use could not be read, with the reason. */
  diskErrors: Record<string, string>;
  /** 1, 5 and 15 minute load averages (zeros on Windows). */
  load: [number, number, number];
  uptimeSec: number;
}

export type ReadSystem = () => Promise<SystemSample>;

/** The mounts watched when the config names none: the root of the file system. */
export function defaultMounts(): string[] {
  return [process.platform === 'win32' ? parse(process.cwd()).root : '/'];
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

async function diskUse(mount: string): Promise<number> {
  const stats = await statfs(mount);
  const used = stats.blocks - stats.bfree;
  const usable = used + stats.bavail;
  return usable === 0 ? 0 : (used / usable) * 100;
}

/** A reader whose first CPU figure covers the time since it was created. */
export function createSystemReader(mounts: readonly string[] = defaultMounts()): ReadSystem {
  let previous = cpuTimes();
  return async () => {
    const now = cpuTimes();
    const total = now.total - previous.total;
    const cpu = total > 0 ? ((now.busy - previous.busy) / total) * 100 : 0;
    previous = now;
    const disk: Record<string, number> = {};
    const diskErrors: Record<string, string> = {};
    await Promise.all(
      mounts.map(async (mount) => {
        try {
          disk[mount] = await diskUse(mount);
        } catch (error) {
          diskErrors[mount] = (error as Error).message;
        }
      }),
    );
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    const total_mem = totalmem();
    return {
      cpu,
      memory: total_mem === 0 ? 0 : ((total_mem - freemem()) / total_mem) * 100,
      disk,
      diskErrors,
      load: [one, five, fifteen],
      uptimeSec: Math.floor(uptime()),
    };
  };
}
