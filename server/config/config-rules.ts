// Rules a JSON Schema cannot say simply: a token clients can send (described, never
// shown), thresholds in order, a probe has exactly one target, options that only
// apply to one kind of probe, schedules that parse.
// Each rule looks only at values of the right type: the schema check already
// reported the others, and one mistake should be listed once.

import { tokenProblem } from '../protocol/token-format.ts';
import { scheduleProblem } from '../sources/jobs/schedule.ts';
import { childPath } from '../protocol/schema-check.ts';

type Loose = Record<string, unknown>;

function entries(value: unknown): [string, Loose][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Loose).filter(
    (entry): entry is [string, Loose] => typeof entry[1] === 'object' && entry[1] !== null && !Array.isArray(entry[1]),
  );
}

function isPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** `above`-style lines rise (warn <= critical); `below`-style lines fall. */
function linesProblem(path: string, value: unknown, falling: boolean): string | null {
  if (!isPair(value)) return null;
  const [warn, critical] = value;
  if (falling ? warn >= critical : warn <= critical) return null;
  const order = falling ? 'at or above' : 'at or below';
  return `${path}: expected [warn, critical] with warn ${order} critical, got [${warn}, ${critical}]`;
}

const HTTP_ONLY = ['method', 'headers', 'expectStatus', 'json', 'latencyMs'] as const;
const COMMAND_ONLY = ['cwd'] as const;

export function configRuleProblems(config: unknown): string[] {
  const out: string[] = [];
  const push = (problem: string | null): void => {
    if (problem) out.push(problem);
  };
  const root = (typeof config === 'object' && config !== null ? config : {}) as Loose;

  const server = root.server as Loose | undefined;
  const token = typeof server === 'object' && server !== null ? server.token : undefined;
  // The empty token is the schema's to report (minLength).
  if (typeof token === 'string' && token !== '') {
    const problem = tokenProblem(token);
    if (problem) out.push(`server.token: ${problem}`);
  }

  const system = root.system as Loose | undefined;
  const thresholds = (typeof system === 'object' && system !== null ? system.thresholds : undefined) as Loose | undefined;
  for (const [metric, lines] of Object.entries(typeof thresholds === 'object' && thresholds !== null ? thresholds : {})) {
    push(linesProblem(childPath('system.thresholds', metric), lines, false));
  }

  for (const [name, job] of entries(root.jobs)) {
    const path = childPath('jobs', name);
    if (typeof job.schedule === 'string') {
      const problem = scheduleProblem(job.schedule);
      if (problem) out.push(`${path}.schedule: ${problem}`);
    }
    if ('maxConcurrentRuns' in job && job.overlap !== true) {
      out.push(`${path}.maxConcurrentRuns: only applies with "overlap": true (without it, one run at a time)`);
    }
  }

  for (const [name, probe] of entries(root.probes)) {
    const path = childPath('probes', name);
    const hasHttp = 'http' in probe;
    const hasCommand = 'command' in probe;
    if (hasHttp === hasCommand) {
      out.push(`${path}: expected exactly one of "http" or "command", got ${hasHttp ? 'both' : 'neither'}`);
    }
    if (hasCommand && !hasHttp) {
      for (const key of HTTP_ONLY) if (key in probe) out.push(`${path}.${key}: only applies to an "http" probe`);
    }
    if (hasHttp && !hasCommand) {
      for (const key of COMMAND_ONLY) if (key in probe) out.push(`${path}.${key}: only applies to a "command" probe`);
    }
    push(linesProblem(`${path}.latencyMs`, probe.latencyMs, false));
    push(linesProblem(`${path}.above`, probe.above, false));
    push(linesProblem(`${path}.below`, probe.below, true));
  }
  return out;
}
