// Runs a piece of work only while this instance leads, starting and stopping it as
// leadership comes and goes. Transitions run one at a time, so a stop that is still
// ending a probe is finished before a quick regain starts it again.

import { errorText } from '../protocol/errors.ts';
import type { Leadership } from './leadership.ts';

export interface LeaderWork {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface LeaderGate {
  /** True while the work is started (or starting). */
  readonly running: boolean;
  /** Stop following leadership and stop the work; resolves when it has stopped. */
  close(): Promise<void>;
}

export function runWhileLeader(leadership: Leadership, work: LeaderWork, log: (message: string) => void): LeaderGate {
  let running = false;
  let closed = false;
  let queue: Promise<void> = Promise.resolve();

  const transition = async (start: boolean): Promise<void> => {
    try {
      if (start) await work.start();
      else await work.stop();
    } catch (error) {
      log(`${start ? 'starting' : 'stopping'} the leader-only work failed: ${errorText(error)}`);
    }
  };
  const settle = (): Promise<void> =>
    (queue = queue.then(() => {
      const wanted = leadership.isLeader && !closed;
      if (wanted === running) return;
      running = wanted;
      return transition(wanted);
    }));

  // A leader starts at once, as if no gate were there: synchronously when the work's
  // start is, and a start that throws here refuses start-up like an ungated one would.
  // Later changes queue behind whatever transition is running and are only logged.
  if (leadership.isLeader) {
    running = true;
    const started = work.start();
    queue = Promise.resolve(started).catch((error: unknown) => log(`starting the leader-only work failed: ${errorText(error)}`));
  }
  const unsubscribe = leadership.onChange(() => void settle());
  return {
    get running() {
      return running;
    },
    async close() {
      closed = true;
      unsubscribe();
      await settle();
    },
  };
}
