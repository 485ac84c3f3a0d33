import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertData, UpdateData } from '../protocol/events.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { RecordingPublisher } from '../../test/support/recording-publisher.ts';
import { SystemSource } from './system.ts';
import { createSystemReader, type SystemSample } from './system-reader.ts';

let publisher: RecordingPublisher;
let clock: ManualClock;
let next: Partial<SystemSample> | Error;
let source: SystemSource;

function sample(overrides: Partial<SystemSample> = {}): SystemSample {
  return { cpu: 10, memory: 40, disk: { '/': 50 }, diskErrors: {}, load: [0.5, 0.4, 0.3], uptimeSec: 1000, ...overrides };
}

beforeEach(() => {
  publisher = new RecordingPublisher();
  clock = new ManualClock();
  next = {};
  source = new SystemSource(
    { intervalSec: 2, deadBand: 2, holdSec: 4, marginPct: 5, thresholds: { cpu: [80, 90] }, mounts: ['/'] },
    {
      publisher,
      clock,
      log: () => {},
      read: async () => {
        if (next instanceof Error) throw next;
        return sample(next);
      },
    },
  );
});
afterEach(async () => {
  await source.stop();
});

const updates = (): UpdateData['status'][] => publisher.events.filter((e) => e.type === 'update').map((e) => (e.data as UpdateData).status);
const alerts = (): AlertData[] => publisher.events.filter((e) => e.type === 'alert').map((e) => e.data as AlertData);

async function tick(values: Partial<SystemSample> | Error): Promise<void> {
  next = values;
  clock.advance(2000);
  await source.sample();
}

describe('the system source', () => {
  it('sends an update only when a figure moves past the dead band', async () => {
    await tick({ cpu: 10 });
    await tick({ cpu: 11.9, uptimeSec: 1002 });
    await tick({ cpu: 12, uptimeSec: 1004 });
    await tick({ cpu: 12, disk: { '/': 53 } });
    await tick({ cpu: 12, disk: { '/': 53 }, load: [1.1, 0.4, 0.3] });
    expect(updates().map((s) => [s.cpu, (s.disk as Record<string, number>)['/'], (s.load as number[])[0]])).toEqual([
      [10, 50, 0.5],
      [12, 50, 0.5],
      [12, 53, 0.5],
      [12, 53, 1.1],
    ]);
    expect(updates()[0]).toEqual({ cpu: 10, memory: 40, disk: { '/': 50 }, load: [0.5, 0.4, 0.3], uptimeSec: 1000, level: 'ok' });
  });

  it('alerts only after CPU stays past the line for the hold time, and recovers past the margin', async () => {
    for (const cpu of [85, 85, 85]) await tick({ cpu });
    expect(alerts()).toMatchObject([{ topic: 'system', metric: 'cpu', level: 'warn', previous: 'ok', value: 85 }]);
    for (const cpu of [79, 81, 77]) await tick({ cpu }); // hovering inside the 4-point margin
    expect(alerts()).toHaveLength(1);
    await tick({ cpu: 70 });
    expect(alerts().map((a) => a.level)).toEqual(['warn', 'ok']);
    expect(updates().map((s) => s.level)).toContain('warn');
    expect(updates().at(-1)?.level).toBe('ok');
  });

  it('turns a failing read into a critical alert on its topic, and recovers', async () => {
    await tick(new Error('cannot read /proc/stat'));
    await tick(new Error('cannot read /proc/stat'));
    await tick({});
    expect(alerts()).toMatchObject([
      { topic: 'system', metric: 'sampler', level: 'critical', message: 'system sampling failed: cannot read /proc/stat' },
      { topic: 'system', metric: 'sampler', level: 'ok', previous: 'critical' },
    ]);
  });

  it('reports a mount whose use cannot be read, without stopping the rest', async () => {
    await tick({ disk: {}, diskErrors: { '/mnt/gone': 'ENOENT' } });
    expect(alerts()).toMatchObject([{ metric: 'disk /mnt/gone unreadable', level: 'critical', message: 'cannot read disk use of /mnt/gone: ENOENT' }]);
    expect(updates()).toHaveLength(1);
  });

  it('samples on its interval with the clock, and stops cleanly', async () => {
    source.start();
    expect(publisher.events).toHaveLength(0);
    clock.advance(2000);
    await publisher.waitFor((e) => e.type === 'update');
    await source.stop();
    expect(clock.pending).toBe(0);
  });
});

describe('reading this machine', () => {
  it('gives percentages, disk use of the root, load and uptime', async () => {
    const read = createSystemReader(['/']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const s = await read();
    for (const value of [s.cpu, s.memory, s.disk['/']]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(s.load).toHaveLength(3);
    expect(s.uptimeSec).toBeGreaterThan(0);
    expect(s.diskErrors).toEqual({});
  });

  it('names a mount it cannot read', async () => {
    const s = await createSystemReader(['/no/such/mount'])();
    expect(s.diskErrors['/no/such/mount']).toMatch(/ENOENT/);
  });
});
