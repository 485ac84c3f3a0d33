// The load agent: a child process that holds the subscribers and the publisher, so the
// load is generated outside the server under test and outside the process that
// samples it. It answers calls from bench/load/load-agent.ts over IPC.

import type { AgentCalls, AgentCallName, AgentReply, AgentRequest, StepResult } from './agent-protocol.ts';
import { WARMUP_STEP, encodeMarker, nowUs } from './marker.ts';
import { publishOne, publishPaced } from './publisher.ts';
import { replayOnce } from './replay-client.ts';
import { ResumingPool } from './resuming-pool.ts';
import { SubscriberPool } from './subscriber-pool.ts';

/** However the parent fares, the agent does not outlive a benchmark run. */
const MAX_LIFETIME_MS = 45 * 60 * 1000;
const WARMUP_INTERVAL_MS = 100;

const pool = new SubscriberPool();
const resuming = new ResumingPool();

/** Publish warm-up events until every open subscriber of `members` has one. */
async function warmup(members: { open: number; ready: number }, plan: AgentCalls['warmup']['args']): Promise<AgentCalls['warmup']['result']> {
  const started = performance.now();
  let published = 0;
  while (performance.now() - started < plan.timeoutMs) {
    if (members.open > 0 && members.ready === members.open) break;
    await publishOne(plan.url, plan.topic, encodeMarker(WARMUP_STEP, published++, nowUs()), plan.headers);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_INTERVAL_MS));
  }
  return { open: members.open, ready: members.ready, published, ms: performance.now() - started };
}

type Handlers = { [K in AgentCallName]: (args: AgentCalls[K]['args']) => Promise<AgentCalls[K]['result']> };

const handlers: Handlers = {
  connect: (options) => pool.connect(options),

  warmup: (plan) => warmup(pool, plan),

  async step(plan) {
    pool.beginStep(plan.publish.step, plan.publish.messages);
    const cpuBefore = process.cpuUsage();
    const startedUs = nowUs();
    const publish = await publishPaced(plan.publish);
    await pool.waitComplete(plan.drainTimeoutMs);
    const delivery = pool.endStep();
    const wallMs = (nowUs() - startedUs) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const spanUs = delivery.lastReceiveUs === null ? 0 : delivery.lastReceiveUs - startedUs;
    const result: StepResult = {
      publish,
      delivery,
      deliveredPerSec: spanUs > 0 ? (delivery.delivered * 1e6) / spanUs : null,
      clientCpuPct: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
    };
    return result;
  },

  publish: (plan) => publishPaced(plan),
  publishOne: (args) => publishOne(args.url, args.topic, args.body, args.headers),
  replay: (plan) => replayOnce(plan),
  closeAll: async () => ({ closed: (await pool.closeAll()) + (await resuming.closeAll()) }),
  status: async () => ({ open: pool.open, ready: pool.ready }),
  resumingConnect: (options) => resuming.connect(options),
  resumingWarmup: (plan) => warmup(resuming, plan),
  resumingStatus: async () => ({ open: resuming.open, ready: resuming.ready }),
  stormBegin: async (plan) => {
    resuming.beginStorm(plan);
    return { began: true };
  },
  stormReport: async (args) => resuming.report(args.sinceUs),
};

function reply(message: AgentReply): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const request = raw as AgentRequest;
  const handler = handlers[request.call] as ((args: unknown) => Promise<unknown>) | undefined;
  if (handler === undefined) {
    reply({ id: request.id, ok: false, error: `unknown call ${JSON.stringify(request.call)}` });
    return;
  }
  handler(request.args).then(
    (result) => reply({ id: request.id, ok: true, result }),
    (error: unknown) => reply({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});

// The parent going away (even by SIGKILL) closes the channel: stop with it.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
// Exit through process.exit so `--cpu-prof`, when given, writes its profile.
process.on('SIGTERM', () => process.exit(0));
