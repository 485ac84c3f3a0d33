// The Publisher every producer uses (the HTTP publish route, sources, the job
// runner). It validates (the one check of a published event: the HTTP route only
// reads the body into a candidate), drops an `update` whose status equals the
// topic's latest one, and appends to the log. The hub is not called here: it hears every event
// through EventLog.onEvents, so a shared log (Redis) fans out the same way.

import type { HeraldEvent, NewEvent } from '../protocol/events.ts';
import type { EventLog } from '../store/event-log.ts';
import type { Publisher } from './publisher.ts';
import { validateNewEvent, type EventCandidate } from '../protocol/event-validation.ts';
import { canonicalJson, changedKeys } from './status-diff.ts';

export type PublishOutcome =
  | { changed: true; event: HeraldEvent }
  /** The status equals the topic's latest; `latestId` is that update's id. */
  | { changed: false; latestId: string | null };

interface KnownStatus {
  json: string;
  status: Record<string, unknown>;
  /** The id of the update that set it (pending while its append commits). */
  id: Promise<string | null>;
}

/** Topics whose latest status is kept in memory; beyond it the oldest are re-read from the log when needed. */
const MAX_CACHED_TOPICS = 10_000;

export class PublishService implements Publisher {
  readonly #log: EventLog;
  /** Latest status per topic, seeded from the log on first use, kept current by onEvents. */
  readonly #statuses = new Map<string, Promise<KnownStatus | null>>();
  readonly #unsubscribe: () => void;

  constructor(log: EventLog) {
    this.#log = log;
    this.#unsubscribe = log.onEvents((events) => {
      for (const event of events) {
        if (event.type !== 'update') continue;
        const { topic, status } = event.data;
        const json = canonicalJson(status);
        // Events from other instances of a shared log replace what this one knew.
        const current = this.#statuses.get(topic);
        if (current === undefined) continue;
        const next = current.then((known) =>
          known?.json === json ? known : { json, status, id: Promise.resolve<string | null>(event.id) },
        );
        next.catch(() => {});
        this.#statuses.set(topic, next);
      }
    });
  }

  async publish(event: NewEvent): Promise<HeraldEvent | null> {
    const outcome = await this.publishWithOutcome(event);
    return outcome.changed ? outcome.event : null;
  }

  async publishWithOutcome(input: EventCandidate): Promise<PublishOutcome> {
    const event = validateNewEvent(input);
    if (event.type !== 'update') {
      const [stored] = await this.#log.append([event]);
      return { changed: true, event: stored! };
    }
    const topic = event.data.topic;
    const json = canonicalJson(event.data.status);
    const decision = await this.#compareAndClaim(topic, json, event.data.status);
    if (decision.kind === 'unchanged') return { changed: false, latestId: await decision.known.id };
    if (event.data.changed === undefined) event.data.changed = changedKeys(decision.previous?.status ?? null, event.data.status);
    try {
      const [stored] = await this.#log.append([event]);
      decision.settle(stored!.id);
      return { changed: true, event: stored! };
    } catch (error) {
      decision.settle(null);
      if (this.#statuses.get(topic) === decision.entry) this.#statuses.delete(topic);
      throw error;
    }
  }

  close(): void {
    this.#unsubscribe();
    this.#statuses.clear();
  }

  /**
   * Compare with the latest status and, if it differs, claim the topic for `json`
   * in the same synchronous step, so a concurrent equal update sees the claim. A
   * claim made while we waited for the log wins: we look again.
   */
  async #compareAndClaim(
    topic: string,
    json: string,
    status: Record<string, unknown>,
  ): Promise<
    | { kind: 'unchanged'; known: KnownStatus }
    | { kind: 'claimed'; previous: KnownStatus | null; entry: Promise<KnownStatus | null>; settle(id: string | null): void }
  > {
    for (;;) {
      const current = this.#knownStatus(topic);
      const known = await current;
      if (this.#statuses.get(topic) !== current) continue;
      if (known?.json === json) return { kind: 'unchanged', known };
      let settle!: (id: string | null) => void;
      const id = new Promise<string | null>((resolve) => (settle = resolve));
      const entry = Promise.resolve<KnownStatus | null>({ json, status, id });
      this.#statuses.set(topic, entry);
      return { kind: 'claimed', previous: known, entry, settle };
    }
  }

  #knownStatus(topic: string): Promise<KnownStatus | null> {
    let known = this.#statuses.get(topic);
    if (known === undefined) {
      known = this.#log.topic(topic).then((state) =>
        state?.status == null
          ? null
          : { json: canonicalJson(state.status), status: state.status, id: Promise.resolve(state.lastId) },
      );
      this.#statuses.set(topic, known);
      known.catch(() => this.#statuses.delete(topic));
      if (this.#statuses.size > MAX_CACHED_TOPICS) {
        const oldest = this.#statuses.keys().next().value;
        if (oldest !== undefined && oldest !== topic) this.#statuses.delete(oldest);
      }
    }
    return known;
  }
}
