// Collects what an EventLog's listeners hear, and waits (bounded) until enough arrived.

import type { HeraldEvent } from '../../server/protocol/events.ts';
import type { EventLog } from '../../server/store/event-log.ts';

export interface EventCollector {
  readonly events: HeraldEvent[];
  /** Resolves once `count` events arrived; rejects after `timeoutMs` saying what did. */
  waitFor(count: number, timeoutMs?: number): Promise<HeraldEvent[]>;
  stop(): void;
}

export function collectEvents(log: EventLog): EventCollector {
  const events: HeraldEvent[] = [];
  const waiters = new Set<() => void>();
  const stop = log.onEvents((batch) => {
    events.push(...batch);
    for (const wake of waiters) wake();
  });
  return {
    events,
    stop,
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(events.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} events within ${timeoutMs} ms, got ${events.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
