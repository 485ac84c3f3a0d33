// The load generator, run tiny against real servers, so it cannot rot: it must count
// every delivery from a correct server and report the loss and the repeats of a server
// that drops and repeats events. No timing is asserted (speed is measured by
// `npm run bench`, not by tests).

import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rssKiB } from './proc-stats.ts';
import type { ScenarioContext } from './scenario.ts';
import { measureFanout } from './scenarios/fanout.ts';
import type { RunningServer } from './server-process.ts';
import { BETTER_SSE, HERALD, NODE_HTTP_FLOOR, type ServerTarget } from './targets.ts';

const TINY = { subscribers: 20, messages: 20, rate: 200, drainTimeoutMs: 1000, settleMs: 100 };
const workRoot = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-test-'));
afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

function contextFor(target: ServerTarget): ScenarioContext {
  return { target, quick: true, repetition: 1, workDir: mkdtempSync(path.join(workRoot, `${target.name}-`)), previous: [], log: () => {} };
}

/**
 * An in-process SSE server with deliberate faults: subscribers that connected at an
 * odd position miss every fifth measured message, and the first subscriber gets every
 * measured message twice. Warm-up messages (marker step 0) go to everyone once.
 */
function faultyTarget(): ServerTarget {
  return {
    name: 'faulty',
    label: 'faulty server',
    unavailable: () => null,
    async start(): Promise<RunningServer> {
      const subscribers: http.ServerResponse[] = [];
      let lastId = 0;
      const server = http.createServer((request, response) => {
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('retry: 1000\n\n');
          subscribers.push(response);
          return;
        }
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          const id = ++lastId;
          const marker = /~(\d+):(\d+):/.exec(body);
          const measured = marker !== null && marker[1] !== '0';
          const seq = Number(marker?.[2] ?? 0);
          const frame = `id: ${id}\nevent: notify\ndata: ${JSON.stringify({ topic: 'bench', time: 0, body })}\n\n`;
          subscribers.forEach((subscriber, index) => {
            if (measured && index % 2 === 1 && seq % 5 === 0) return;
            subscriber.write(measured && index === 0 ? frame + frame : frame);
          });
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ id: String(id), topic: 'bench' }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      return {
        urls: [`http://127.0.0.1:${port}`],
        pids: [process.pid],
        rssKiB: () => rssKiB(process.pid),
        output: () => '',
        stop: async () => {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };
}

describe('the fan-out load generator', () => {
  for (const target of [NODE_HTTP_FLOOR, BETTER_SSE, HERALD]) {
    it.skipIf(target.unavailable() !== null)(`counts all 400 deliveries of 20 messages to 20 subscribers from ${target.label}`, async () => {
      const sample = await measureFanout(contextFor(target), TINY);
      expect(sample.problems).toEqual([]);
      expect(sample.values).toMatchObject({ subscribers: 20, expected: 400, lost: 0 });
      expect(sample.values.p99Ms).toEqual(expect.any(Number));
      expect(sample.values.rssEndMiB).toBeGreaterThan(0);
    });
  }

  it('reports the loss and the repeats of a server that drops and repeats events', async () => {
    const sample = await measureFanout(contextFor(faultyTarget()), TINY);
    // 10 odd-position subscribers x 4 of 20 messages (seq 0, 5, 10, 15) dropped.
    expect(sample.values).toMatchObject({ subscribers: 20, expected: 400, lost: 40 });
    expect(sample.problems).toContain('lost 40 of 400 deliveries');
    expect(sample.problems).toContain('20 deliveries arrived twice');
  });
});
