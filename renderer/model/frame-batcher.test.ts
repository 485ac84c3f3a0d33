import { describe, expect, it } from 'vitest';
import { createFrameBatcher } from './frame-batcher.ts';

describe('per-frame batching', () => {
  it('hands over everything pushed between two frames in one batch, in order', () => {
    const frames: Array<() => void> = [];
    const batches: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => batches.push(items), (fn) => frames.push(fn));
    for (let i = 0; i < 50; i++) batcher.push([i]);
    expect(frames).toHaveLength(1);
    expect(batches).toHaveLength(0);
    expect(batcher.pending).toBe(50);
    frames.shift()!();
    expect(batches).toEqual([Array.from({ length: 50 }, (_, i) => i)]);
    batcher.push([]);
    expect(frames).toHaveLength(0);
    batcher.push([50]);
    frames.shift()!();
    expect(batches[1]).toEqual([50]);
  });
});
