// EventFrames: one event's bytes per stream format, encoded once and shared.

import { describe, expect, it, vi } from 'vitest';
import type { HeraldEvent } from '../protocol/events.ts';
import { EventFrames, HERALD_SSE, type StreamFormat } from './stream-format.ts';

const event: HeraldEvent = { id: '7', type: 'notify', data: { topic: 'a', time: 1, body: 'hi', priority: 3, tags: [] } };

describe('EventFrames', () => {
  it('encodes the event once per format, however the formats alternate, and hands out the same bytes', () => {
    const a: StreamFormat = { encode: vi.fn(() => Buffer.from('a\n')) };
    const b: StreamFormat = { encode: vi.fn(() => Buffer.from('b\n')) };
    const frames = new EventFrames(event);
    const first = [frames.for(a), frames.for(b), frames.for(HERALD_SSE)];
    const again = [frames.for(a), frames.for(b), frames.for(HERALD_SSE)];
    expect(a.encode).toHaveBeenCalledTimes(1);
    expect(b.encode).toHaveBeenCalledTimes(1);
    for (const [i, held] of first.entries()) expect(again[i]).toBe(held);
    expect(first.map((held) => held?.frame.toString())).toEqual(['a\n', 'b\n', `id: 7\nevent: notify\ndata: ${JSON.stringify(event.data)}\n\n`]);
    expect(first[0]?.event).toBe(event);
  });

  it('answers null for a format that does not carry the event, first or later, and asks it once', () => {
    const none: StreamFormat = { encode: vi.fn(() => null) };
    const first = new EventFrames(event);
    expect(first.for(none)).toBeNull();
    expect(first.for(none)).toBeNull();
    const later = new EventFrames(event);
    later.for(HERALD_SSE);
    expect(later.for(none)).toBeNull();
    expect(later.for(none)).toBeNull();
    expect(none.encode).toHaveBeenCalledTimes(2);
  });
});
