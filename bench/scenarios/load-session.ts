// What every load scenario does around its measurement: start the server under test
// and a load agent, connect subscribers and prove they are registered (warm-up), and
// always stop both, whatever happened.

import { LoadAgent } from '../load/load-agent.ts';
import type { WarmupReport } from '../load/agent-protocol.ts';
import type { ConnectReport } from '../load/subscriber-pool.ts';
import type { RunningServer } from '../server-process.ts';
import type { Sample, ScenarioContext } from '../scenario.ts';

export const TOPIC = 'bench';
export const SUBSCRIBE_PATH = `/events?topics=${TOPIC}`;
const CONNECT_CONCURRENCY = 250;
const CONNECT_TIMEOUT_MS = 15_000;

export interface LoadSession {
  server: RunningServer;
  agent: LoadAgent;
  /** The URL publishes go to (the first instance). */
  url: string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function kibToMib(kib: number | null): number | null {
  return kib === null ? null : kib / 1024;
}

export async function withLoadSession<T>(
  context: ScenarioContext,
  body: (session: LoadSession) => Promise<T>,
  options: { nodeArgs?: readonly string[]; serverArgs?: readonly string[] } = {},
): Promise<T> {
  const server = await context.target.start({ workDir: context.workDir, ...options });
  const agent = LoadAgent.start();
  try {
    return await body({ server, agent, url: server.urls[0] as string });
  } finally {
    await agent.stop();
    await server.stop();
  }
}

/**
 * Connect `count` subscribers (spread over the server's instances) and warm them up: a
 * published event every subscriber must receive proves each is registered. Problems go
 * into `sample`. `warmup: false` only for a server that takes no publishes.
 */
export async function connectSubscribers(
  session: LoadSession,
  count: number,
  sample: Sample,
  options: { warmup?: boolean } = {},
): Promise<{ connect: ConnectReport; warmup: WarmupReport | null }> {
  const connect = await session.agent.call(
    'connect',
    { urls: session.server.urls, path: SUBSCRIBE_PATH, count, concurrency: CONNECT_CONCURRENCY, timeoutMs: CONNECT_TIMEOUT_MS },
    CONNECT_TIMEOUT_MS + count * 5 + 30_000,
  );
  sample.values.subscribers = connect.connected;
  sample.values.connectMs = connect.connectMs;
  if (connect.failed > 0) sample.problems.push(`${connect.failed} of ${count} subscribers failed to connect (${connect.errors.join('; ')})`);
  if (options.warmup === false) return { connect, warmup: null };
  const warmup = await session.agent.call('warmup', { url: session.url, topic: TOPIC, timeoutMs: 10_000 }, 30_000);
  if (warmup.ready < warmup.open) {
    sample.problems.push(`only ${warmup.ready} of ${warmup.open} subscribers received a warm-up event within 10 s`);
  }
  return { connect, warmup };
}

/** Resident memory once the server has had a moment to settle. */
export async function settledRssKiB(server: RunningServer, settleMs: number): Promise<number | null> {
  await sleep(settleMs);
  return server.rssKiB();
}
