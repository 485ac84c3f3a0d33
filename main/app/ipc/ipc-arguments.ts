// Checks what a window sent before any handler sees it. The renderer is sandboxed but
// still untrusted input (a compromised page can invoke any channel with any value),
// so each channel's arguments are checked against the contract's signature and a
// mismatch is refused with what was expected and what arrived.
import { HeraldError, describeValue } from '../../../server/protocol/errors.ts';
import { patternProblem } from '../../../server/protocol/topics.ts';
import type { JobRunRef, SettingsDocument } from './bridge.ts';
import type { InvokeArgs, InvokeChannel } from './contract.ts';

/** The most history a window may ask for at once (the list is virtualized, the store is bounded). */
export const MAX_HISTORY_LOAD = 100_000;
const MAX_NAME_LENGTH = 200;

function refuse(channel: string, what: string, value: unknown): never {
  throw new HeraldError('bad_request', `${channel}: expected ${what}, got ${describeValue(value)}`);
}

function count(channel: string, args: readonly unknown[], expected: number): void {
  if (args.length !== expected) {
    throw new HeraldError('bad_request', `${channel}: expected ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`);
  }
}

function name(channel: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    refuse(channel, `${what} (a string of 1 to ${MAX_NAME_LENGTH} characters)`, value);
  }
  return value;
}

function runRef(channel: string, value: unknown): JobRunRef {
  if (typeof value !== 'object' || value === null) refuse(channel, 'a job run {server, job, run}', value);
  const ref = value as Record<string, unknown>;
  return {
    server: name(channel, 'a server id', ref.server),
    job: name(channel, 'a job name', ref.job),
    run: name(channel, 'a run id', ref.run),
  };
}

type Parsers = { [C in InvokeChannel]: (channel: C, args: readonly unknown[]) => InvokeArgs<C> };

const none = (channel: string, args: readonly unknown[]): [] => {
  count(channel, args, 0);
  return [];
};

const PARSERS: Parsers = {
  'history:load': (channel, args) => {
    count(channel, args, 1);
    const [limit] = args;
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_HISTORY_LOAD) {
      refuse(channel, `a whole number of events from 1 to ${MAX_HISTORY_LOAD}`, limit);
    }
    return [limit as number];
  },
  'history:clear': none,
  'status:current': none,
  'reveal:take-pending': none,
  'notifications:state': none,
  'notifications:resume': none,
  'settings:load': none,
  'notifications:pause': (channel, args) => {
    count(channel, args, 1);
    const [until] = args;
    // Infinity means "until resumed" (Bridge.pauseNotifications); NaN and negatives are mistakes.
    if (typeof until !== 'number' || Number.isNaN(until) || until <= 0) {
      refuse(channel, 'a time in ms since the epoch, or Infinity', until);
    }
    return [until];
  },
  'notifications:mute': (channel, args) => {
    count(channel, args, 2);
    const [topic, muted] = args;
    if (typeof topic !== 'string' || patternProblem(topic) !== null) refuse(channel, 'a topic or topic pattern', topic);
    if (typeof muted !== 'boolean') refuse(channel, 'true or false for muted', muted);
    return [topic, muted];
  },
  'jobs:run': (channel, args) => {
    count(channel, args, 2);
    return [name(channel, 'a server id', args[0]), name(channel, 'a job name', args[1])];
  },
  'jobs:cancel': (channel, args) => {
    count(channel, args, 1);
    return [runRef(channel, args[0])];
  },
  'jobs:log': (channel, args) => {
    count(channel, args, 1);
    return [runRef(channel, args[0])];
  },
  'settings:save': (channel, args) => {
    count(channel, args, 1);
    const [settings] = args;
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      refuse(channel, 'a settings object', settings);
    }
    // The handler validates every field by path and answers the problems as data.
    return [settings as SettingsDocument];
  },
};

/** The arguments of `channel`, checked; throws HeraldError bad_request otherwise. */
export function parseInvokeArgs<C extends InvokeChannel>(channel: C, args: readonly unknown[]): InvokeArgs<C> {
  return (PARSERS[channel] as (channel: C, args: readonly unknown[]) => InvokeArgs<C>)(channel, args);
}
