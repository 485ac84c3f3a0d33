// Publishes marked messages through `POST /topics/:topic` (text/plain) at a paced
// rate over a few keep-alive connections, and reports what the server accepted.

import http from 'node:http';
import { encodeMarker, nowUs } from './marker.ts';

export interface PublishPlan {
  url: string;
  topic: string;
  step: number;
  messages: number;
  /** Messages per second; Infinity publishes as fast as `maxInFlight` allows. */
  rate: number;
  maxInFlight: number;
  /** Extra bytes of body after the marker, to model larger messages. */
  padding: number;
  headers?: Record<string, string>;
}

export interface PublishReport {
  sent: number;
  accepted: number;
  rejected: number;
  /** Count of answers by HTTP status, or by error for requests that got none. */
  outcomes: Record<string, number>;
  durationMs: number;
  /** Messages accepted per second, first send to last answer. */
  achievedRate: number;
}

export interface SingleAnswer {
  status: number;
  body: string;
}

/** Pacing granularity: timers below about 1 ms are not kept by Node. */
const TICK_MS = 1;

export function publishPaced(plan: PublishPlan): Promise<PublishReport> {
  const target = new URL(`/topics/${plan.topic}`, plan.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.maxInFlight });
  const padding = 'x'.repeat(plan.padding);
  const outcomes: Record<string, number> = {};
  const count = (key: string): void => {
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  let sent = 0;
  let answered = 0;
  let accepted = 0;
  let inFlight = 0;
  const started = performance.now();

  return new Promise((resolve) => {
    const finish = (): void => {
      agent.destroy();
      const durationMs = performance.now() - started;
      resolve({
        sent,
        accepted,
        rejected: sent - accepted,
        outcomes,
        durationMs,
        achievedRate: durationMs > 0 ? (accepted * 1000) / durationMs : 0,
      });
    };
    const sendOne = (): void => {
      const seq = sent++;
      inFlight++;
      const body = encodeMarker(plan.step, seq, nowUs()) + padding;
      const request = http.request(target, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...plan.headers },
      });
      const done = (key: string, ok: boolean): void => {
        count(key);
        if (ok) accepted++;
        inFlight--;
        answered++;
        if (answered === plan.messages) finish();
        else pump();
      };
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => done(String(response.statusCode), response.statusCode === 201));
        response.on('error', (error) => done(error.message, false));
      });
      request.on('error', (error) => done(error.message, false));
      request.end(body);
    };
    let timer: NodeJS.Timeout | null = null;
    const pump = (): void => {
      const due = Number.isFinite(plan.rate)
        ? Math.min(plan.messages, Math.floor(((performance.now() - started) * plan.rate) / 1000) + 1)
        : plan.messages;
      while (sent < due && inFlight < plan.maxInFlight) sendOne();
      if (sent < plan.messages && timer === null && sent >= due) {
        timer = setTimeout(() => {
          timer = null;
          pump();
        }, TICK_MS);
      }
    };
    if (plan.messages === 0) finish();
    else pump();
  });
}

/** One POST, answered with its status and body (used to learn an event id). */
export function publishOne(url: string, topic: string, body: string, headers?: Record<string, string>): Promise<SingleAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(`/topics/${topic}`, url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
