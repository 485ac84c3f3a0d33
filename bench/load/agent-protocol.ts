// Messages between the benchmark (bench/run.ts) and its load agent child process
// (bench/load/agent.ts), over the child-process IPC channel.

import type { PublishPlan, PublishReport, SingleAnswer } from './publisher.ts';
import type { ReplayPlan, ReplayReport } from './replay-client.ts';
import type { ResumingConnectOptions, StormPlan, StormReport } from './resuming-pool.ts';
import type { ConnectOptions, ConnectReport, StepReport } from './subscriber-pool.ts';

export interface WarmupPlan {
  url: string;
  topic: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface WarmupReport {
  open: number;
  ready: number;
  published: number;
  ms: number;
}

export interface StepPlan {
  publish: PublishPlan;
  /** How long to wait for stragglers once the last POST was answered. */
  drainTimeoutMs: number;
}

export interface StepResult {
  publish: PublishReport;
  delivery: StepReport;
  /** Deliveries per second, from the first POST written to the last event read. */
  deliveredPerSec: number | null;
  /** CPU the load agent used during the step, as % of one core (100 = one core busy). */
  clientCpuPct: number;
}

export interface AgentCalls {
  connect: { args: ConnectOptions; result: ConnectReport };
  warmup: { args: WarmupPlan; result: WarmupReport };
  step: { args: StepPlan; result: StepResult };
  publish: { args: PublishPlan; result: PublishReport };
  publishOne: { args: { url: string; topic: string; body: string; headers?: Record<string, string> }; result: SingleAnswer };
  replay: { args: ReplayPlan; result: ReplayReport };
  closeAll: { args: Record<string, never>; result: { closed: number } };
  status: { args: Record<string, never>; result: { open: number; ready: number } };
  /** Subscribers that reconnect by themselves with Last-Event-ID (resuming-pool.ts), for the reconnect storm. */
  resumingConnect: { args: ResumingConnectOptions; result: ConnectReport };
  resumingWarmup: { args: WarmupPlan; result: WarmupReport };
  resumingStatus: { args: Record<string, never>; result: { open: number; ready: number } };
  stormBegin: { args: StormPlan; result: { began: true } };
  stormReport: { args: { sinceUs: number | null }; result: StormReport };
}

export type AgentCallName = keyof AgentCalls;

export interface AgentRequest<K extends AgentCallName = AgentCallName> {
  id: number;
  call: K;
  args: AgentCalls[K]['args'];
}

export type AgentReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };
