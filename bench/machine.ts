// The machine a report's figures were taken on: they mean little without it.

import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the benchmark started: other work on a shared machine skews figures. */
  loadAtStart: number;
}

function distribution(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (match) return match[1] as string;
  } catch {
    // Not every system has /etc/os-release; the kernel line below still says enough.
  }
  return os.type();
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${distribution()}, ${os.type()} ${os.release()} ${os.arch()}`,
    loadAtStart: os.loadavg()[0] ?? 0,
  };
}

export function machineMarkdown(machine: MachineDescription): string {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores available`,
    `- Memory: ${machine.memoryGiB.toFixed(1)} GiB`,
    `- Node: ${machine.node}`,
    `- OS: ${machine.os}`,
    `- Load average (1 min) at start: ${machine.loadAtStart.toFixed(2)}`,
  ].join('\n');
}
