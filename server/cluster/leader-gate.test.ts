import { describe, expect, it } from 'vitest';
import type { Leadership } from './leadership.ts';
import { runWhileLeader } from './leader-gate.ts';
import { soleInstance } from './leadership.ts';

/** Leadership that a test hands out and takes back. */
class SwitchedLeadership implements Leadership {
  isLeader = false;
  readonly #listeners = new Set<(leader: boolean) => void>();
  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  set(leader: boolean): void {
    this.isLeader = leader;
    for (const listener of this.#listeners) listener(leader);
  }
}

/** Work that records its transitions; stop takes a while, like ending a probe. */
function recordingWork() {
  const steps: string[] = [];
  return {
    steps,
    start: () => void steps.push('start'),
    stop: async () => {
      steps.push('stopping');
      await new Promise((resolve) => setTimeout(resolve, 20));
      steps.push('stopped');
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('runWhileLeader', () => {
  it('starts the work on a sole instance at once and stops it on close', async () => {
    const work = recordingWork();
    const gate = runWhileLeader(soleInstance, work, () => {});
    await settled();
    expect(gate.running).toBe(true);
    await gate.close();
    expect(work.steps).toEqual(['start', 'stopping', 'stopped']);
  });

  it('follows leadership, finishing a stop before starting again', async () => {
    const leadership = new SwitchedLeadership();
    const work = recordingWork();
    const gate = runWhileLeader(leadership, work, () => {});
    await settled();
    expect(work.steps).toEqual([]);
    leadership.set(true);
    await settled();
    leadership.set(false);
    await Promise.resolve();
    expect(work.steps).toEqual(['start', 'stopping']);
    leadership.set(true); // while the stop is still running
    await settled();
    expect(work.steps).toEqual(['start', 'stopping', 'stopped', 'start']);
    await gate.close();
    leadership.set(true);
    await settled();
    expect(work.steps).toEqual(['start', 'stopping', 'stopped', 'start', 'stopping', 'stopped']);
  });

  it('acts on the latest state when leadership flips faster than the work can follow', async () => {
    const leadership = new SwitchedLeadership();
    const work = recordingWork();
    const gate = runWhileLeader(leadership, work, () => {});
    leadership.set(true);
    leadership.set(false);
    leadership.set(true);
    await settled();
    expect(work.steps).toEqual(['start']);
    await gate.close();
  });

  it('reports a failing start and keeps following leadership', async () => {
    const leadership = new SwitchedLeadership();
    const lines: string[] = [];
    let starts = 0;
    const gate = runWhileLeader(
      leadership,
      {
        start: () => {
          starts++;
          if (starts === 1) throw new Error('probe config broke');
        },
        stop: () => {},
      },
      (line) => lines.push(line),
    );
    leadership.set(true);
    await settled();
    expect(lines).toEqual([expect.stringContaining('probe config broke')]);
    leadership.set(false);
    await settled();
    leadership.set(true);
    await settled();
    expect(starts).toBe(2);
    await gate.close();
  });
});

describe('runWhileLeader on a leader', () => {
  it('starts synchronously, so a caller sees the work running as soon as the gate exists', () => {
    const work = recordingWork();
    const gate = runWhileLeader(soleInstance, work, () => {});
    expect(work.steps).toEqual(['start']);
    return gate.close();
  });
});
