// Event builders for the renderer's Node tests: real protocol shapes, small to write.

import type { ReceivedEvent } from '../../main/ipc/bridge.ts';
import type { EndData, HeraldEvent, Level } from '../../server/protocol/events.ts';

let counter = 0;

export function notify(topic: string, body: string, extra: { id?: string; title?: string; priority?: number; time?: number; tags?: string[] } = {}): HeraldEvent {
  return {
    id: extra.id ?? String(++counter),
    type: 'notify',
    data: { topic, time: extra.time ?? 1_700_000_000_000, body, priority: extra.priority ?? 3, tags: extra.tags ?? [], ...(extra.title ? { title: extra.title } : {}) },
  };
}

export function update(topic: string, status: Record<string, unknown>, extra: { id?: string; time?: number; changed?: string[] } = {}): HeraldEvent {
  return {
    id: extra.id ?? String(++counter),
    type: 'update',
    data: { topic, time: extra.time ?? 1_700_000_000_000, status, ...(extra.changed ? { changed: extra.changed } : {}) },
  };
}

export function alert(topic: string, level: Level, message: string, extra: { id?: string; time?: number; metric?: string; value?: number } = {}): HeraldEvent {
  return {
    id: extra.id ?? String(++counter),
    type: 'alert',
    data: { topic, time: extra.time ?? 1_700_000_000_000, level, message, ...(extra.metric ? { metric: extra.metric } : {}), ...(extra.value === undefined ? {} : { value: extra.value }) },
  };
}

export function end(topic: string, result: Partial<Omit<EndData, 'topic'>> = {}, id?: string): HeraldEvent {
  return {
    id: id ?? String(++counter),
    type: 'end',
    data: { topic, time: 1_700_000_000_000, state: 'succeeded', exitCode: 0, durationMs: 1500, summary: '', ...result },
  };
}

export function received(event: HeraldEvent, server = 'local'): ReceivedEvent {
  return { server, event };
}
