import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { StoredEvent } from '../event-store.ts';
import { runningRun } from './job-detail.ts';
import { OverviewModel } from './overview-model.ts';

let seq = 0;
const at = (event: Omit<HeraldEvent, 'id'>, server = 'local'): StoredEvent => new StoredEvent(server, { ...event, id: String(++seq) } as HeraldEvent, seq);
const update = (topic: string, time: number, status: Record<string, unknown>) => at({ type: 'update', data: { topic, time, status } });

describe('the overview model', () => {
  it('makes one entry per source, worst first, with the summary the tray says', () => {
    const model = new OverviewModel();
    model.add([
      update('system', 1000, { cpu: 10, memory: 40, disk: { '/': 50, '/home': 70 }, load: [0.5, 0.4, 0.3], level: 'ok', thresholds: { cpu: [80, 90], load: 'no' } }),
      update('probe/site', 1000, { ok: true, value: 200, latencyMs: 35, level: 'ok' }),
      update('job/backup/1', 1000, { state: 'running', progress: 0.25, startedAt: 900, elapsedMs: 100 }),
      at({ type: 'notify', data: { topic: 'deploy', time: 1000, body: 'shipped', priority: 3, tags: [] } }),
    ]);
    expect(model.entries().map((e) => e.source.id)).toEqual(['system', 'probe/site', 'job/backup', 'deploy']);
    expect(model.summary().text).toBe('All 4 sources OK');

    const changed = model.add([update('probe/site', 2000, { ok: false, error: 'connection refused', level: 'critical' })]);
    expect([...changed].map((e) => e.source.id)).toEqual(['probe/site']);
    expect(model.entries().map((e) => e.source.id)).toEqual(['probe/site', 'system', 'job/backup', 'deploy']);
    expect(model.summary()).toMatchObject({ text: '1 needs attention', level: 'critical' });

    const system = model.entries()[1]!.detail;
    if (system.kind !== 'system') throw new Error('expected the system detail');
    expect(system.series.disk.values).toEqual([70]);
    expect(system.series.load.values).toEqual([0.5]);
    expect(system.thresholds).toEqual({ cpu: [80, 90] });
    expect(system.mounts).toEqual(['/', '/home']);
  });

  it('follows a job run’s progress to its end, and keeps the durations of finished runs', () => {
    const model = new OverviewModel();
    model.add([update('job/backup/1', 1000, { state: 'running', progress: 0.25, startedAt: 900, elapsedMs: 100 })]);
    const entry = model.entries()[0]!;
    // The detail is folded when asked for: each read sees every event handed in.
    const job = () => {
      const detail = entry.detail;
      if (detail.kind !== 'job') throw new Error('expected a job');
      return detail;
    };
    expect(runningRun(job())).toMatchObject({ run: '1', progress: 0.25, startedAt: 900 });
    model.add([update('job/backup/1', 1500, { state: 'running', progress: 0.8, startedAt: 900, elapsedMs: 600 })]);
    expect(runningRun(job())?.progress).toBe(0.8);
    model.add([at({ type: 'end', data: { topic: 'job/backup/1', time: 2000, state: 'succeeded', exitCode: 0, durationMs: 1100, summary: '' } })]);
    expect(runningRun(job())).toBeNull();
    expect(job().runs[0]).toMatchObject({ progress: 1, state: 'succeeded', elapsedMs: 1100 });
    expect(job().durations.values).toEqual([1100]);
    expect(entry.state.level).toBe('ok');
  });

  it('shows a topic’s latest message even when other events came after it, and counts its messages', () => {
    const model = new OverviewModel();
    model.add([
      at({ type: 'notify', data: { topic: 'ci', time: 1, body: 'first', priority: 3, tags: [] } }),
      at({ type: 'notify', data: { topic: 'ci', time: 2, body: 'second', priority: 3, tags: [] } }),
      update('ci', 3, { branch: 'main' }),
    ]);
    const topic = model.entries()[0]!.detail;
    if (topic.kind !== 'topic') throw new Error('expected a topic');
    expect(topic.latest?.event.type === 'notify' && topic.latest.event.data.body).toBe('second');
    expect(topic.messages.times).toEqual([1, 2]);
  });

  it('keeps servers apart', () => {
    const model = new OverviewModel();
    model.add([at({ type: 'update', data: { topic: 'system', time: 1, status: { level: 'ok' } } }, 'a'), at({ type: 'update', data: { topic: 'system', time: 1, status: { level: 'warn' } } }, 'b')]);
    expect(model.entries().map((e) => `${e.server}:${e.state.level}`)).toEqual(['b:warn', 'a:ok']);
  });
});
