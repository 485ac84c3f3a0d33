// Sources and how they stand: which source a topic belongs to (the `system` topic, a
// probe, a job whose runs each have a topic, or a message topic), the level a source
// is at after its events, and one line for many sources ("All 7 sources OK", "2 need
// attention"). The history window's overview and the tray both fold events and say
// the summary through this file, so they always agree. Free of Node and DOM APIs.
//
// A source's level: a job is at the level of its last finished run (a run going on
// changes nothing); any other source is at the `level` field of its latest status
// (the system source and probes set it on every change), else the worst of its alerts,
// latest per metric; with none of these, or once its stream has ended (an ended topic
// no longer counts), it has no verdict (`info`). Described in docs/dashboard.md
// ("Overview").

import type { EndData, HeraldEvent, Level } from './events.ts';
import { isLevel, worstLevel } from './events.ts';
import { endResultText, levelOf, type EventLevel } from './event-vocabulary.ts';

export type SourceKind = 'system' | 'probe' | 'job' | 'topic';

export interface SourceId {
  /** `system`, `probe/<name>`, `job/<name>`, or the message topic. */
  id: string;
  kind: SourceKind;
  /** The probe's or job's name; the topic for the others. */
  name: string;
}

export const SYSTEM_SOURCE = 'system';

export function sourceOfTopic(topic: string): SourceId {
  if (topic === SYSTEM_SOURCE) return { id: topic, kind: 'system', name: topic };
  const parts = topic.split('/');
  if (parts.length === 2 && parts[0] === 'probe' && parts[1]) return { id: topic, kind: 'probe', name: parts[1] };
  if (parts.length === 3 && parts[0] === 'job' && parts[1] && parts[2]) return { id: `job/${parts[1]}`, kind: 'job', name: parts[1] };
  return { id: topic, kind: 'topic', name: topic };
}

export interface SourceState {
  server: string;
  source: SourceId;
  level: EventLevel;
  /** Why, in a few words: the worst alert's message, the failed run's result, the probe's error. Publisher text. */
  reason: string;
  /** When the level was last decided (ms since the epoch). */
  since: number;
}

interface Fold {
  state: SourceState;
  statusLevel: Level | null;
  statusReason: string;
  metrics: Map<string, { level: Level; message: string }>;
  end: EndData | null;
}

/** The events of every source folded into its level, in the order they are given. */
export class SourceLevels {
  /** Server, then source id: no joined key per event (history folds in 100,000 at once). */
  readonly #folds = new Map<string, Map<string, Fold>>();
  /** Topic to source: the same few topics come again and again. */
  readonly #sources = new Map<string, SourceId>();
  #last: SourceState | null = null;

  get size(): number {
    let size = 0;
    for (const folds of this.#folds.values()) size += folds.size;
    return size;
  }

  /** The state of the source of the event last given to apply. */
  get lastState(): SourceState | null {
    return this.#last;
  }

  clear(): void {
    this.#folds.clear();
    this.#last = null;
  }

  forgetServer(server: string): void {
    this.#folds.delete(server);
    if (this.#last?.server === server) this.#last = null;
  }

  get(server: string, sourceId: string): SourceState | undefined {
    return this.#folds.get(server)?.get(sourceId)?.state;
  }

  /** Every source's state, in no particular order (sort with compareSources). */
  states(): SourceState[] {
    const states: SourceState[] = [];
    for (const folds of this.#folds.values()) for (const fold of folds.values()) states.push(fold.state);
    return states;
  }

  /** Fold one event in; true when its source's level changed (or the source is new). */
  apply(server: string, event: HeraldEvent): boolean {
    const { topic } = event.data;
    let source = this.#sources.get(topic);
    if (!source) {
      source = sourceOfTopic(topic);
      this.#sources.set(topic, source);
    }
    let folds = this.#folds.get(server);
    if (!folds) {
      folds = new Map();
      this.#folds.set(server, folds);
    }
    let fold = folds.get(source.id);
    const isNew = fold === undefined;
    if (!fold) {
      fold = { state: { server, source, level: 'info', reason: '', since: event.data.time }, statusLevel: null, statusReason: '', metrics: new Map(), end: null };
      folds.set(source.id, fold);
    }
    this.#last = fold.state;
    if (!foldEvent(fold, event)) return isNew;
    const before = fold.state.level;
    const level = decide(fold);
    if (level === before) return isNew;
    fold.state.level = level;
    fold.state.since = event.data.time;
    return true;
  }
}

/** Fold one event into what decides the level; false when nothing that does changed. */
function foldEvent(fold: Fold, event: HeraldEvent): boolean {
  if (event.type === 'end') {
    fold.end = event.data;
    // A stream that ended takes its alarms with it: started again, it starts clean.
    if (fold.state.source.kind !== 'job') {
      fold.metrics.clear();
      fold.statusLevel = null;
      fold.statusReason = '';
    }
    return true;
  }
  // Jobs: only finished runs count. Other sources: any new event means it runs again.
  if (fold.state.source.kind === 'job' || event.type === 'gap') return false;
  const restarted = fold.end !== null;
  fold.end = null;
  if (event.type === 'update') {
    const level = event.data.status['level'];
    if (!isLevel(level)) return restarted;
    const error = event.data.status['error'];
    const reason = typeof error === 'string' ? error : '';
    if (level === fold.statusLevel && reason === fold.statusReason) return restarted;
    fold.statusLevel = level;
    fold.statusReason = reason;
    return true;
  }
  if (event.type === 'alert') {
    fold.metrics.set(event.data.metric ?? '', { level: event.data.level, message: event.data.message });
    return true;
  }
  return restarted;
}

/** The source's level from what was folded; sets its reason. */
function decide(fold: Fold): EventLevel {
  const { state } = fold;
  if (fold.end) {
    const job = state.source.kind === 'job';
    state.reason = job ? `run ${fold.end.topic.split('/')[2] ?? ''} ${endResultText(fold.end)}` : `ended: ${endResultText(fold.end)}`;
    return job ? levelOf({ id: '', type: 'end', data: fold.end }) : 'info';
  }
  let worst: { level: Level; message: string } | null = null;
  for (const metric of fold.metrics.values()) {
    if (!worst || worstLevel(worst.level, metric.level) !== worst.level) worst = metric;
  }
  if (fold.statusLevel !== null) {
    state.reason = fold.statusLevel === 'ok' ? '' : worst && worst.level !== 'ok' ? worst.message : fold.statusReason;
    return fold.statusLevel;
  }
  if (worst) {
    state.reason = worst.level === 'ok' ? '' : worst.message;
    return worst.level;
  }
  state.reason = '';
  return 'info';
}

const RANK: Record<EventLevel, number> = { critical: 3, warn: 2, ok: 1, info: 0 };
const KIND_ORDER: Record<SourceKind, number> = { system: 0, probe: 1, job: 2, topic: 3 };

/** Worst first (critical, warning, then the rest), then system, probes, jobs, topics, then by name. */
export function compareSources(a: SourceState, b: SourceState): number {
  const bad = (s: SourceState): number => (s.level === 'critical' || s.level === 'warn' ? RANK[s.level] : 0);
  return (
    bad(b) - bad(a) ||
    KIND_ORDER[a.source.kind] - KIND_ORDER[b.source.kind] ||
    (a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0) ||
    (a.server < b.server ? -1 : a.server > b.server ? 1 : 0)
  );
}

export interface SourcesSummary {
  /** critical or warn when a source is; else ok (info when there is no source at all). */
  level: EventLevel;
  /** `All 7 sources OK`, `1 source OK`, `2 need attention`, `No sources yet`. */
  text: string;
  total: number;
  /** The sources at warn or critical, worst first. */
  attention: SourceState[];
}

/** One line for many sources: what the overview's header and the tray's tooltip say. */
export function summarizeSources(states: readonly SourceState[]): SourcesSummary {
  const attention = states.filter((s) => s.level === 'critical' || s.level === 'warn').sort(compareSources);
  const total = states.length;
  if (total === 0) return { level: 'info', text: 'No sources yet', total, attention };
  if (attention.length === 0) return { level: 'ok', text: total === 1 ? '1 source OK' : `All ${total} sources OK`, total, attention };
  const level = attention[0]!.level;
  return { level, text: attention.length === 1 ? '1 needs attention' : `${attention.length} need attention`, total, attention };
}

/** `probe/site, system and 2 more`: the worst sources by name, at most `max`. */
export function worstSourceNames(summary: SourcesSummary, max = 3): string {
  const names = summary.attention.map((s) => s.source.id);
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
