// The desktop app's settings: one type, one JSON Schema with defaults. The Electron
// shell stores them with electron-store and `herald watch` / tests with conf (its
// base); both take `settingsSchema.properties` as their `schema` option, so the two
// validate the same way. Node-free: the renderer's settings form reuses it.

import type { PatternMeaning, SchemaNode } from '../../../server/protocol/schema-check.ts';
import { TOKEN_EXPECTED, TOKEN_PATTERN, tokenFormatProblem } from '../../../server/protocol/token-format.ts';

export interface ServerSettings {
  /** Stable key: history rows and resume ids are stored under it. */
  id: string;
  name: string;
  /** Base URL of a Herald server, e.g. http://127.0.0.1:8765 */
  url: string;
  /** Bearer token; empty for none. */
  token: string;
  /** Topics and patterns (`job/*`), all carried on one connection. */
  topics: string[];
  enabled: boolean;
}

/** When an `update` notifies: a status field changed (to a given value, if `equals` is set). */
export interface UpdateRule {
  /** A topic or pattern (`probe/*`). */
  topic: string;
  /** Top-level status field; empty means any change of the status. */
  field: string;
  /** Only when the field changed to this value; null means any new value. */
  equals: string | number | boolean | null;
  /** 1..5 like a published message's priority; decides the urgency. */
  priority: number;
}

export interface QuietHours {
  enabled: boolean;
  /** Local time `HH:MM`; a range may cross midnight (22:00 to 07:00). */
  start: string;
  end: string;
}

export interface PauseSettings {
  /** Epoch ms when notifications resume, or null. */
  until: number | null;
  /** Paused until the user resumes. */
  indefinitely: boolean;
}

export interface CoalesceSettings {
  /** Notifications shown one by one per topic within a window; more become one digest. */
  maxPerWindow: number;
  windowMs: number;
}

export interface ReAlertSettings {
  enabled: boolean;
  /** Repeat an unacknowledged critical alert after this long. */
  afterMs: number;
  /** Give up after this many repeats. */
  maxRepeats: number;
}

export interface Settings {
  servers: ServerSettings[];
  rules: UpdateRule[];
  quietHours: QuietHours;
  pause: PauseSettings;
  /** Topics or patterns that never notify (they are still recorded in history). */
  mutedTopics: string[];
  coalesce: CoalesceSettings;
  reAlert: ReAlertSettings;
  history: { maxEntries: number; maxAgeDays: number };
  startAtLogin: boolean;
  bundledServer: { enabled: boolean; port: number };
}

const TIME_OF_DAY = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const SERVER_ID = '^[A-Za-z0-9_.-]+$';
const HTTP_URL = '^https?://';

/** What the schema's patterns mean, for the validator's messages. */
export const settingsPatternWords: Readonly<Record<string, PatternMeaning>> = {
  [TIME_OF_DAY]: 'a time of day as HH:MM',
  [SERVER_ID]: 'an id of letters, digits, "_", "." or "-"',
  [HTTP_URL]: 'a URL starting with http:// or https://',
  // A token is a secret: say what is wrong with it without showing it.
  [TOKEN_PATTERN]: { expected: TOKEN_EXPECTED, got: (token) => tokenFormatProblem(token)?.got ?? 'a token clients cannot send (the token is not shown)' },
};
const TOPIC_LIST: SchemaNode = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: 500 };

const serverSchema: SchemaNode = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 100, pattern: SERVER_ID },
    name: { type: 'string', maxLength: 200 },
    url: { type: 'string', pattern: HTTP_URL, maxLength: 2000 },
    // Only tokens a client can send: visible ASCII, no spaces (server/protocol/token-format.ts).
    token: { type: 'string', maxLength: 1000, pattern: TOKEN_PATTERN },
    topics: TOPIC_LIST,
    enabled: { type: 'boolean' },
  },
  required: ['id', 'name', 'url', 'token', 'topics', 'enabled'],
  additionalProperties: false,
};

const ruleSchema: SchemaNode = {
  type: 'object',
  properties: {
    topic: { type: 'string', minLength: 1, maxLength: 200 },
    field: { type: 'string', maxLength: 200 },
    equals: { type: ['string', 'number', 'boolean', 'null'] },
    priority: { type: 'integer', minimum: 1, maximum: 5 },
  },
  required: ['topic', 'field', 'equals', 'priority'],
  additionalProperties: false,
};

export const defaultSettings: Settings = {
  servers: [],
  rules: [],
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  pause: { until: null, indefinitely: false },
  mutedTopics: [],
  coalesce: { maxPerWindow: 3, windowMs: 60_000 },
  reAlert: { enabled: true, afterMs: 10 * 60_000, maxRepeats: 3 },
  history: { maxEntries: 100_000, maxAgeDays: 30 },
  startAtLogin: false,
  bundledServer: { enabled: true, port: 0 },
};

/**
 * Options conf / electron-store must pass to ajv (`ajvOptions`): `rules[].equals` is a
 * union type, which ajv's strict mode otherwise warns about on every start.
 */
export const settingsAjvOptions = { allowUnionTypes: true } as const;

/** The whole settings object; `.properties` is what conf / electron-store take as `schema`. */
export const settingsSchema = {
  type: 'object',
  properties: {
    servers: { type: 'array', items: serverSchema, maxItems: 100, default: defaultSettings.servers },
    rules: { type: 'array', items: ruleSchema, maxItems: 500, default: defaultSettings.rules },
    quietHours: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        start: { type: 'string', pattern: TIME_OF_DAY },
        end: { type: 'string', pattern: TIME_OF_DAY },
      },
      required: ['enabled', 'start', 'end'],
      additionalProperties: false,
      default: defaultSettings.quietHours,
    },
    pause: {
      type: 'object',
      properties: {
        until: { type: ['integer', 'null'], minimum: 0 },
        indefinitely: { type: 'boolean' },
      },
      required: ['until', 'indefinitely'],
      additionalProperties: false,
      default: defaultSettings.pause,
    },
    mutedTopics: { ...TOPIC_LIST, default: defaultSettings.mutedTopics },
    coalesce: {
      type: 'object',
      properties: {
        maxPerWindow: { type: 'integer', minimum: 1, maximum: 1000 },
        windowMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 },
      },
      required: ['maxPerWindow', 'windowMs'],
      additionalProperties: false,
      default: defaultSettings.coalesce,
    },
    reAlert: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        afterMs: { type: 'integer', minimum: 10_000, maximum: 86_400_000 },
        maxRepeats: { type: 'integer', minimum: 1, maximum: 100 },
      },
      required: ['enabled', 'afterMs', 'maxRepeats'],
      additionalProperties: false,
      default: defaultSettings.reAlert,
    },
    history: {
      type: 'object',
      properties: {
        maxEntries: { type: 'integer', minimum: 100, maximum: 10_000_000 },
        maxAgeDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
      required: ['maxEntries', 'maxAgeDays'],
      additionalProperties: false,
      default: defaultSettings.history,
    },
    startAtLogin: { type: 'boolean', default: defaultSettings.startAtLogin },
    bundledServer: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        port: { type: 'integer', minimum: 0, maximum: 65535, description: '0 picks a free port at launch' },
      },
      required: ['enabled', 'port'],
      additionalProperties: false,
      default: defaultSettings.bundledServer,
    },
  },
  required: Object.keys(defaultSettings),
  additionalProperties: false,
} satisfies SchemaNode & { properties: Record<keyof Settings, SchemaNode> };
