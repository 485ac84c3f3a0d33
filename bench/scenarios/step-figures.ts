// Figures every publishing scenario reports for one measured step, and what counts as
// a failed step.

import type { StepResult } from '../load/agent-protocol.ts';
import type { Figure, Sample } from '../scenario.ts';

export const CONNECT_FIGURES: readonly Figure[] = [
  { key: 'subscribers', label: 'subscribers connected', unit: '', better: null, digits: 0 },
  { key: 'connectMs', label: 'time to connect them all', unit: 'ms', better: 'lower', digits: 0 },
];

export const MEMORY_FIGURES: readonly Figure[] = [
  { key: 'rssIdleMiB', label: 'server RSS idle (before subscribers)', unit: 'MiB', better: 'lower', digits: 1 },
  { key: 'rssEndMiB', label: 'server RSS at end', unit: 'MiB', better: 'lower', digits: 1 },
];

export const DELIVERY_FIGURES: readonly Figure[] = [
  { key: 'publishRate', label: 'publish rate achieved', unit: 'msg/s', better: 'higher', digits: 1 },
  { key: 'expected', label: 'deliveries expected', unit: '', better: null, digits: 0 },
  { key: 'lost', label: 'deliveries lost (must be 0)', unit: '', better: 'lower', digits: 0 },
  { key: 'deliveredPerSec', label: 'delivered events/s', unit: '/s', better: 'higher', digits: 0 },
  { key: 'p50Ms', label: 'latency p50 (publish to receive)', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'p99Ms', label: 'latency p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'maxMs', label: 'latency max', unit: 'ms', better: 'lower', digits: 1 },
  { key: 'serverCpuPct', label: 'server CPU (100 = one core)', unit: '%', better: 'lower', digits: 0 },
  { key: 'clientCpuPct', label: 'load generator CPU', unit: '%', better: null, digits: 0 },
];

/** Why a step is not a clean delivery of everything published, if it is not. */
export function stepProblems(result: StepResult): string[] {
  const problems: string[] = [];
  const { delivery, publish } = result;
  if (publish.rejected > 0) {
    problems.push(`${publish.rejected} of ${publish.sent} publishes were not accepted (${JSON.stringify(publish.outcomes)})`);
  }
  if (delivery.lost > 0) {
    const dropped = delivery.disconnected > 0 ? `; ${delivery.disconnected} subscribers were disconnected` : '';
    problems.push(`lost ${delivery.lost} of ${delivery.expected} deliveries${dropped}`);
  }
  if (delivery.duplicates > 0) problems.push(`${delivery.duplicates} deliveries arrived twice`);
  if (delivery.malformed > 0) problems.push(`${delivery.malformed} malformed markers`);
  return problems;
}

export function recordStep(sample: Sample, result: StepResult, serverCpuPct: number): void {
  const { delivery } = result;
  Object.assign(sample.values, {
    publishRate: result.publish.achievedRate,
    expected: delivery.expected,
    lost: delivery.lost,
    deliveredPerSec: result.deliveredPerSec,
    p50Ms: delivery.latency.p50Ms,
    p99Ms: delivery.latency.p99Ms,
    maxMs: delivery.latency.maxMs,
    serverCpuPct,
    clientCpuPct: result.clientCpuPct,
  });
}
