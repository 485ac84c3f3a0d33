// Settings written by an older version of the app, brought up to the current schema
// when the app starts (conf / electron-store `migrations`, keyed by the app version
// that introduced the change; they run in version order, once, and a migration that
// throws is rolled back: conf's README, "migrations").
//
// 0.1.0 is the first release. Development builds before it stored the shape the
// history window's first draft used (main/app/ipc/bridge.ts before the settings schema):
// `bundledServer` as a boolean, rules without a priority and `equals` always text,
// servers that could lack an id, a name, a token or `enabled`. The 0.1.0 migration
// turns that into today's shape instead of refusing to start.
//
// Server kinds (`kind`, `username`, `templates`: ntfy servers and plain SSE URLs)
// came as optional fields, `kind` absent meaning a Herald server, so the servers a
// file already holds stay valid as they are and need no step.
//
// Each step is a pure function over the raw stored object so it is tested on its own;
// `settingsMigrations` applies them key by key through conf.

import type Conf from 'conf';
import type { Settings } from './settings-schema.ts';

type RawSettings = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stable id from a server's name or URL host: `[A-Za-z0-9_.-]`, unique in the list. */
function deriveId(server: Record<string, unknown>, taken: Set<string>, index: number): string {
  let base = '';
  if (typeof server.url === 'string') {
    try {
      base = new URL(server.url).host;
    } catch {
      // Not a URL: fall back to the name or the position.
    }
  }
  if (!base && typeof server.name === 'string') base = server.name;
  base = base.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 90) || `server-${index + 1}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function migrateServers(servers: unknown): unknown {
  if (!Array.isArray(servers)) return servers;
  const taken = new Set(servers.flatMap((s) => (isRecord(s) && typeof s.id === 'string' && s.id ? [s.id] : [])));
  return servers.map((server, index) => {
    if (!isRecord(server)) return server;
    const id = typeof server.id === 'string' && server.id ? server.id : deriveId(server, taken, index);
    return {
      ...server,
      id,
      name: typeof server.name === 'string' ? server.name : typeof server.url === 'string' ? server.url : id,
      token: typeof server.token === 'string' ? server.token : '',
      topics: Array.isArray(server.topics) ? server.topics : [],
      enabled: typeof server.enabled === 'boolean' ? server.enabled : true,
    };
  });
}

function migrateRules(rules: unknown): unknown {
  if (!Array.isArray(rules)) return rules;
  return rules.map((rule) => {
    if (!isRecord(rule)) return rule;
    // The draft stored "" for "any value".
    const equals = rule.equals === '' || rule.equals === undefined ? null : rule.equals;
    return { ...rule, field: typeof rule.field === 'string' ? rule.field : '', equals, priority: typeof rule.priority === 'number' ? rule.priority : 3 };
  });
}

/** Development builds before 0.1.0 -> 0.1.0. Only keys present are touched. */
export function migrateTo0_1_0(raw: RawSettings): RawSettings {
  const next: RawSettings = { ...raw };
  if (typeof raw.bundledServer === 'boolean') next.bundledServer = { enabled: raw.bundledServer, port: 0 };
  if ('servers' in raw) next.servers = migrateServers(raw.servers);
  if ('rules' in raw) next.rules = migrateRules(raw.rules);
  return next;
}

/** Each migration step, by the version that introduced it, in order. */
export const SETTINGS_MIGRATION_STEPS: ReadonlyArray<readonly [version: string, step: (raw: RawSettings) => RawSettings]> = [
  ['0.1.0', migrateTo0_1_0],
];

const KEYS: ReadonlyArray<keyof Settings> = [
  'servers', 'rules', 'quietHours', 'pause', 'mutedTopics', 'coalesce', 'reAlert', 'history', 'startAtLogin', 'bundledServer',
];

function applyThroughConf(store: Conf<Settings>, step: (raw: RawSettings) => RawSettings): void {
  const before: RawSettings = {};
  for (const key of KEYS) if (store.has(key)) before[key] = store.get(key);
  const after = step(before);
  for (const key of KEYS) {
    if (!(key in after)) continue;
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) store.set(key, after[key] as never);
  }
}

/** The `migrations` option for conf / electron-store. */
export const settingsMigrations: Record<string, (store: Conf<Settings>) => void> = Object.fromEntries(
  SETTINGS_MIGRATION_STEPS.map(([version, step]) => [version, (store: Conf<Settings>) => applyThroughConf(store, step)]),
);
