// Wire protocol v1: the event types and their payloads (docs/protocol.md,
// "Events"). Imported by the server, by main/app and (as types) by the renderer,
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
  /** Up to 3 buttons on the notification (ntfy's `view` and `http` actions). */
  actions?: NotifyAction[];
  /** True when `body` is Markdown (ntfy's `X-Markdown`, Gotify's `text/markdown` display). */
  markdown?: boolean;
  /** An http(s) URL of an image to show as the notification's icon. */
  icon?: string;
}

/** `view` opens `url`; `http` sends a request to `url` (method POST by default). `clear` dismisses the notification after. */
export type NotifyAction =
  | { action: 'view'; label: string; url: string; clear?: boolean }
  | { action: 'http'; label: string; url: string; method?: string; headers?: Record<string, string>; body?: string; clear?: boolean };

/** A threshold crossed or recovered. */
export interface AlertData extends EventBase {
  level: Level;
  previous?: Level;
  /** What was measured, e.g. `cpu`, `latencyMs`, `reachable`. */
  metric?: string;
  value?: number | string | null;
  message: string;
  /** An http(s) URL to open when the alert is clicked (an Alertmanager alert's generator URL). */
  click?: string;
}

/** The topic's stream is finished. */
export interface EndData extends EventBase {
  state: EndState;
  exitCode: number | null;
  durationMs: number;
  summary: string;
}

/**
 * Why a client may not have every event it asked for:
 * - `retention`: events after the resume id were dropped by retention; the retained
 *   ones follow.
 * - `unknown-resume-point`: the resume id is ahead of everything this server's log
 *   has issued (its log was reset or restored from a backup, or the client talks to
 *   another server). The client must forget its resume id: the gap's own id is the
 *   start of this log, everything the log holds follows, then live events.
 */
export const GAP_REASONS = ['retention', 'unknown-resume-point'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** Events the client asked for that it may never get. */
export interface GapData extends EventBase {
  /** Absent from servers older than the field: read it as `retention`. */
  reason?: GapReason;
  /** The id the client resumed from. */
  since: string;
  /** How many events of this topic were dropped by retention after `since`, if known. */
  lost: number | null;
  message: string;
}

/** True for a gap saying this server does not know the client's resume id. */
export function isUnknownResumeGap(event: HeraldEvent): event is HeraldEvent<'gap'> {
  return event.type === 'gap' && event.data.reason === 'unknown-resume-point';
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
