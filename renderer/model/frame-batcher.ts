// Events can arrive faster than the screen refreshes (50/s live, thousands/s during a
// replay). Touching the DOM per event would freeze the window, so items are queued
// and handed over once per animation frame. The scheduler is injected:
// requestAnimationFrame in the browser, a manual one in tests.

export type FrameScheduler = (callback: () => void) => void;

export interface FrameBatcher<T> {
  push(items: readonly T[]): void;
  /** Hand over what is queued now, without waiting for the frame. */
  flush(): void;
  readonly pending: number;
}

export function createFrameBatcher<T>(deliver: (items: T[]) => void, schedule: FrameScheduler): FrameBatcher<T> {
  let queue: T[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    deliver(items);
  }

  return {
    push(items) {
      if (items.length === 0) return;
      for (const item of items) queue.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
    get pending() {
      return queue.length;
    },
  };
}
