// Wire protocol v1: the event types and their payloads (docs/protocol.md,
// "Events"). Imported by the server, by main/core and (as types) by the renderer,
// so this file must stay free of Node and DOM APIs.

export const PROTOCOL_VERSION = 1;

export const EVENT_TYPES = ['update', 'notify', 'alert', 'end', 'gap'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const LEVELS = ['ok', 'warn', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** States a finished stream can end in (jobs use all of them; `herald run` the first two). */
export const END_STATES = ['succeeded', 'failed', 'cancelled', 'timed-out'] as const;
export type EndState = (typeof END_STATES)[number];

/** Fields every event's data carries. `time` is milliseconds since the Unix epoch. */
export interface EventBase {
  topic: string;
  time: number;
}

/** The new status of a topic; sent only when it changed. */
export interface UpdateData extends EventBase {
  status: Record<string, unknown>;
  /** Top-level keys of `status` whose value differs from the previous update. */
  changed?: string[];
}

/** A message somebody published. */
export interface NotifyData extends EventBase {
  title?: string;
  body: string;
  /** 1 (min) .. 5 (max); 3 is the default. */
  priority: number;
  tags: string[];
  /** An http(s) URL to open when the notification is clicked. */
  click?: string;
}

/** A threshold crossed or recovered. */
export interface AlertData extends EventBase {
  level: Level;
  previous?: Level;
  /** What was measured, e.g. `cpu`, `latencyMs`, `reachable`. */
  metric?: string;
  value?: number | string | null;
  message: string;
}

/** The topic's stream is finished. */
export interface EndData extends EventBase {
  state: EndState;
  exitCode: number | null;
  durationMs: number;
  summary: string;
}

/** Events the client asked for that are no longer retained. */
export interface GapData extends EventBase {
  /** The id the client resumed from. */
  since: string;
  /** How many events of this topic were dropped by retention after `since`, if known. */
  lost: number | null;
  message: string;
}

export interface EventDataByType {
  update: UpdateData;
  notify: NotifyData;
  alert: AlertData;
  end: EndData;
  gap: GapData;
}

/** An event as it travels: SSE `id`, `event` and JSON `data`. */
export type HeraldEvent<T extends EventType = EventType> = {
  [K in T]: { id: string; type: K; data: EventDataByType[K] };
}[T];

/** An event before the log has given it an id. */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; data: EventDataByType[K] };
}[T];

export function isEventType(value: unknown): value is EventType {
  return (EVENT_TYPES as readonly unknown[]).includes(value);
}

export function isLevel(value: unknown): value is Level {
  return (LEVELS as readonly unknown[]).includes(value);
}

export function isEndState(value: unknown): value is EndState {
  return (END_STATES as readonly unknown[]).includes(value);
}

/** The worse of two levels (critical > warn > ok: LEVELS lists them in that order). */
export function worstLevel(a: Level, b: Level): Level {
  return LEVELS[Math.max(LEVELS.indexOf(a), LEVELS.indexOf(b))]!;
}

/** `GET /topics` answers an array of these. */
export interface TopicSummary {
  topic: string;
  /** The id and type of the topic's latest event. */
  lastId: string;
  lastType: EventType;
  lastTime: number;
  /** The latest `update` status, if any. */
  status: Record<string, unknown> | null;
  /** The latest alert level, if the topic ever alerted. */
  level: Level | null;
  ended: boolean;
  subscribers: number;
}

/** `GET /health`. */
export interface HealthReport {
  ok: true;
  name: 'herald';
  version: string;
  protocol: number;
  uptimeSec: number;
  subscribers: number;
  connections: number;
  store: 'sqlite' | 'redis';
}

/** `POST /topics/:topic` answers 201 with this. */
export interface PublishResult {
  id: string;
  topic: string;
}

/** Any 4xx/5xx answers `{ error, code }`. */
export interface ErrorBody {
  error: string;
  code: string;
}
