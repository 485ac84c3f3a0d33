// The overview's model: one entry per source (per server), with its level (the shared
// fold, server/protocol/source-status.ts, the same the tray uses) and what its card
// draws (system figures, probe checks, job runs, a topic's messages). Fed the store's
// events in store order, like the topic board; `add` says which entries changed so
// only their cards are redrawn. Levels are folded at once (the order and the summary
// need every source's); what a card draws is folded when the card first asks for it
// (`detail`), so opening with 100,000 events pays only for the cards on screen.

import { compareSources, SourceLevels, summarizeSources, type SourceId, type SourceState, type SourcesSummary } from '../../../server/protocol/source-status.ts';
import type { StoredEvent } from '../event-store.ts';
import { foldJob, newJobDetail, type JobDetail } from './job-detail.ts';
import { foldProbe, newProbeDetail, type ProbeDetail } from './probe-detail.ts';
import { foldSystem, newSystemDetail, type SystemDetail } from './system-detail.ts';
import { foldTopic, newTopicDetail, type TopicDetail } from './topic-detail.ts';

export type SourceDetail = SystemDetail | ProbeDetail | JobDetail | TopicDetail;

export class SourceEntry {
  /** Server and source id, unique in the overview. */
  readonly key: string;
  readonly server: string;
  readonly source: SourceId;
  readonly state: SourceState;
  /** The newest event of the source. */
  last: StoredEvent;
  /** Grows whenever anything the card shows changed. */
  version = 0;
  readonly #detail: SourceDetail;
  /** Events not folded into the detail yet, in store order. */
  #pending: StoredEvent[] = [];

  constructor(state: SourceState, first: StoredEvent) {
    this.key = `${state.server}\u0000${state.source.id}`;
    this.server = state.server;
    this.source = state.source;
    this.state = state;
    this.last = first;
    this.#detail = newDetail(state.source.kind);
  }

  /** What the card draws, with every event handed in so far folded in. */
  get detail(): SourceDetail {
    if (this.#pending.length > 0) {
      const pending = this.#pending;
      this.#pending = [];
      for (const stored of pending) fold(this.#detail, stored);
    }
    return this.#detail;
  }

  add(stored: StoredEvent): void {
    this.#pending.push(stored);
    if (stored.seq >= this.last.seq) this.last = stored;
    this.version++;
  }
}

function newDetail(kind: SourceId['kind']): SourceDetail {
  switch (kind) {
    case 'system':
      return newSystemDetail();
    case 'probe':
      return newProbeDetail();
    case 'job':
      return newJobDetail();
    case 'topic':
      return newTopicDetail();
  }
}

function fold(detail: SourceDetail, stored: StoredEvent): boolean {
  switch (detail.kind) {
    case 'system':
      return foldSystem(detail, stored.event);
    case 'probe':
      return foldProbe(detail, stored.event);
    case 'job':
      return foldJob(detail, stored.event);
    case 'topic':
      return foldTopic(detail, stored);
  }
}

export class OverviewModel {
  readonly levels = new SourceLevels();
  /** By the source's state object (one per source, kept by the fold). */
  readonly #entries = new Map<SourceState, SourceEntry>();
  #sorted: SourceEntry[] = [];
  #orderDirty = false;
  /** Grows when the order of the cards may have changed (a source appeared, a level changed). */
  #orderVersion = 0;

  get size(): number {
    return this.#entries.size;
  }

  get orderVersion(): number {
    return this.#orderVersion;
  }

  clear(): void {
    this.levels.clear();
    this.#entries.clear();
    this.#sorted = [];
    this.#orderVersion++;
  }

  /** Fold events in, in store order; returns the entries whose cards changed. */
  add(events: readonly StoredEvent[]): Set<SourceEntry> {
    const changed = new Set<SourceEntry>();
    for (const stored of events) {
      const { server, event } = stored;
      const levelChanged = this.levels.apply(server, event);
      const state = this.levels.lastState!;
      let entry = this.#entries.get(state);
      if (!entry) {
        entry = new SourceEntry(state, stored);
        this.#entries.set(state, entry);
        this.#sorted.push(entry);
      }
      if (levelChanged) this.#orderDirty = true;
      entry.add(stored);
      changed.add(entry);
    }
    if (this.#orderDirty) this.#orderVersion++;
    return changed;
  }

  /** Every entry, worst first (compareSources). The model's own array: read it, do not change it. */
  entries(): readonly SourceEntry[] {
    if (this.#orderDirty) {
      this.#sorted.sort((a, b) => compareSources(a.state, b.state));
      this.#orderDirty = false;
    }
    return this.#sorted;
  }

  summary(): SourcesSummary {
    return summarizeSources(this.levels.states());
  }
}
