// A Publisher for source tests that keeps what was published, in order, and keeps
// the real one's rule of dropping an `update` whose status equals the topic's last.
// Integration tests use the real server instead (test/sources-*.test.ts).

import type { Publisher } from '../../server/core/publisher.ts';
import type { HeraldEvent, NewEvent } from '../../server/protocol/events.ts';

export class RecordingPublisher implements Publisher {
  readonly events: HeraldEvent[] = [];
  private readonly lastStatus = new Map<string, string>();
  private readonly waiters: { match: (e: HeraldEvent) => boolean; resolve: (e: HeraldEvent) => void }[] = [];

  async publish(event: NewEvent): Promise<HeraldEvent | null> {
    if (event.type === 'update') {
      const json = JSON.stringify(event.data.status);
      if (this.lastStatus.get(event.data.topic) === json) return null;
      this.lastStatus.set(event.data.topic, json);
    }
    const stored = { ...event, id: String(this.events.length + 1) } as HeraldEvent;
    this.events.push(stored);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(stored)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(stored);
      }
    }
    return stored;
  }

  on(topic: string): HeraldEvent[] {
    return this.events.filter((e) => e.data.topic === topic);
  }

  /** The first event (already published or still to come) that matches. */
  waitFor(match: (e: HeraldEvent) => boolean): Promise<HeraldEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}
