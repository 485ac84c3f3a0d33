import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../server/protocol/errors.ts';
import { SUPPORTED_KEYWORDS, type SchemaNode } from '../../../server/protocol/schema-check.ts';
import { defaultSettings, settingsAjvOptions, settingsSchema, type ServerSettings, type Settings } from './settings-schema.ts';
import { openSettingsStore } from './settings-store.ts';
import { validateSettings } from './settings-validator.ts';

const server: ServerSettings = {
  id: 'local',
  name: 'This machine',
  url: 'http://127.0.0.1:8765',
  token: '',
  topics: ['job/*', 'system'],
  enabled: true,
};

function settingsWith(patch: Record<string, unknown>): unknown {
  return { ...structuredClone(defaultSettings), ...patch };
}

function messages(value: unknown): string[] {
  const result = validateSettings(value);
  return result.ok ? [] : result.problems.map((p) => p.message);
}

describe('settings schema', () => {
  it('accepts its own defaults', () => {
    expect(validateSettings(defaultSettings)).toEqual({ ok: true, settings: defaultSettings });
  });

  it('uses only keywords the validator understands', () => {
    const unknown: string[] = [];
    const walk = (schema: SchemaNode, path: string) => {
      for (const key of Object.keys(schema)) if (!SUPPORTED_KEYWORDS.has(key)) unknown.push(`${path}.${key}`);
      for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, `${path}.${name}`);
      if (schema.items) walk(schema.items, `${path}[]`);
    };
    walk(settingsSchema, 'settings');
    expect(unknown).toEqual([]);
  });

  it('gives every top-level setting a default equal to defaultSettings', () => {
    for (const [key, schema] of Object.entries(settingsSchema.properties)) {
      expect(schema.default, key).toEqual(defaultSettings[key as keyof Settings]);
    }
  });
});

describe('validateSettings explains problems by path', () => {
  it('names the path, what was expected and what arrived', () => {
    expect(messages(settingsWith({ servers: [{ ...server, url: 'ftp://example.com' }] }))).toEqual([
      'servers[0].url: expected a URL starting with http:// or https://, got "ftp://example.com"',
    ]);
    expect(messages(settingsWith({ quietHours: { enabled: true, start: '25:00', end: '07:00' } }))).toEqual([
      'quietHours.start: expected a time of day as HH:MM, got "25:00"',
    ]);
    expect(messages(settingsWith({ coalesce: { maxPerWindow: 0, windowMs: 60_000 } }))).toEqual([
      'coalesce.maxPerWindow: expected a whole number of at least 1, got 0',
    ]);
    expect(messages(settingsWith({ startAtLogin: 'yes' }))).toEqual(['startAtLogin: expected true or false, got "yes"']);
    expect(messages(settingsWith({ rules: [{ topic: 'probe/*', field: 'state', equals: 'down', priority: 2.5 }] }))).toEqual([
      'rules[0].priority: expected a whole number, got 2.5',
    ]);
  });

  it('reports a missing field and an unknown one', () => {
    const { token: _token, ...withoutToken } = server;
    expect(messages(settingsWith({ servers: [{ ...withoutToken, colour: 'red' }] }))).toEqual([
      'servers[0].token: expected a string, got nothing',
      'servers[0].colour: unknown key; expected one of id, name, url, token, topics, enabled',
    ]);
  });

  it('suggests the setting a typo meant, and says what an id may hold', () => {
    const { token, ...withoutToken } = server;
    expect(messages(settingsWith({ servers: [{ ...withoutToken, tokn: token, id: 'my server' }] }))).toEqual([
      'servers[0].token: expected a string, got nothing',
      'servers[0].id: expected an id of letters, digits, "_", "." or "-", got "my server"',
      'servers[0].tokn: unknown key; did you mean "token"?',
    ]);
  });

  it('refuses a token no client can send, saying why without showing it', () => {
    const bad = ['zq9 secret', 'cafézq9', 'zq9\tsecret', 'zq9secret\n'];
    for (const token of bad) {
      const result = validateSettings(settingsWith({ servers: [{ ...server, token }] }));
      expect(result.ok, JSON.stringify(token)).toBe(false);
      const [problem] = result.ok ? [] : result.problems;
      expect(problem?.path).toBe('servers[0].token');
      expect(problem?.message).toMatch(/^servers\[0\]\.token: expected a token of visible ASCII characters without spaces .*RFC 6750.*, got .* at character \d+ of \d+ \(the token is not shown\)$/);
      expect(problem?.message).not.toContain('zq9');
    }
    expect(messages(settingsWith({ servers: [{ ...server, token: 'my secret' }] }))).toEqual([
      'servers[0].token: expected a token of visible ASCII characters without spaces (letters, digits and punctuation, as an "Authorization: Bearer" header carries; RFC 6750), got a space at character 3 of 9 (the token is not shown)',
    ]);
    for (const token of ['', 'Ab0-._~+/=', '!#$%&*^|']) expect(messages(settingsWith({ servers: [{ ...server, token }] })), token).toEqual([]);
  });

  it('reports every problem at once, not only the first', () => {
    expect(messages(settingsWith({ startAtLogin: 1, mutedTopics: 'build', pause: { until: -1, indefinitely: false } }))).toHaveLength(3);
  });

  it('refuses a non-object', () => {
    expect(messages(null)).toEqual(['settings: expected an object, got null']);
    expect(messages([])).toEqual(['settings: expected an object, got an array of 0']);
  });

  it('checks what the schema cannot: topic patterns, unique server ids', () => {
    expect(messages(settingsWith({ servers: [server, { ...server, name: 'again' }] }))).toEqual([
      'servers[1].id: expected an id no other server uses, got "local"',
    ]);
    const [topicMessage] = messages(settingsWith({ servers: [{ ...server, topics: ['job/**/x'] }] }));
    expect(topicMessage).toMatch(/^servers\[0\]\.topics\[0\]: "\*\*" may only be the last segment/);
    expect(messages(settingsWith({ mutedTopics: ['bad topic'] }))[0]).toMatch(/^mutedTopics\[0\]: expected a topic pattern/);
    expect(messages(settingsWith({ rules: [{ topic: 'a b', field: '', equals: null, priority: 3 }] }))[0]).toMatch(/^rules\[0\]\.topic:/);
  });
});

describe('settings schema under ajv (what conf and electron-store run)', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, ...settingsAjvOptions });
  const check = ajv.compile(settingsSchema);
  const samples: unknown[] = [
    defaultSettings,
    settingsWith({ servers: [server] }),
    settingsWith({ servers: [{ ...server, url: 'ftp://x' }] }),
    settingsWith({ servers: [{ ...server, enabled: 'true' }] }),
    settingsWith({ quietHours: { enabled: true, start: '7:00', end: '08:00' } }),
    settingsWith({ pause: { until: null, indefinitely: true } }),
    settingsWith({ pause: { until: 1.5, indefinitely: false } }),
    settingsWith({ rules: [{ topic: 'ci', field: 'state', equals: 'failed', priority: 5 }] }),
    settingsWith({ rules: [{ topic: 'ci', field: 'state', equals: { nested: true }, priority: 5 }] }),
    settingsWith({ extra: true }),
    settingsWith({ history: { maxEntries: 50, maxAgeDays: 1 } }),
    settingsWith({ servers: [{ ...server, token: 'my secret' }] }),
    settingsWith({ servers: [{ ...server, token: 'naïve' }] }),
    settingsWith({ servers: [{ ...server, token: 'Ab0-._~+/=' }] }),
  ];

  it('agrees with validateSettings on which samples are valid', () => {
    for (const sample of samples) {
      const ours = validateSettings(sample).ok;
      expect(check(sample), JSON.stringify(sample).slice(0, 200)).toBe(ours);
    }
  });
});

describe('openSettingsStore (conf on a real file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the defaults and keeps what was saved across reopening', () => {
    const store = openSettingsStore({ dir });
    expect(store.get()).toEqual(defaultSettings);
    const seen: Settings[] = [];
    const unsubscribe = store.onChange((s) => seen.push(s));
    store.update({ servers: [server], mutedTopics: ['system'] });
    unsubscribe();
    expect(seen.at(-1)?.servers).toEqual([server]);
    expect(openSettingsStore({ dir }).get()).toEqual({ ...defaultSettings, servers: [server], mutedTopics: ['system'] });
    // It holds server tokens: only its owner may read it.
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid update with the path and leaves the file unchanged', () => {
    const store = openSettingsStore({ dir });
    store.update({ servers: [server] });
    const before = readFileSync(store.path, 'utf8');
    expect(() => store.update({ servers: [{ ...server, url: 'localhost:8765' }] })).toThrowError(
      /servers\[0\]\.url: expected a URL starting with http:\/\/ or https:\/\/, got "localhost:8765"/,
    );
    expect(readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('reports a hand-broken file by path and does not wipe it', () => {
    const file = join(dir, 'settings.json');
    const broken = JSON.stringify({ startAtLogin: 'sometimes' });
    writeFileSync(file, broken);
    let error: unknown;
    try {
      openSettingsStore({ dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('bad_config');
    expect((error as Error).message).toContain('startAtLogin: expected true or false, got "sometimes"');
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('refuses at start a file whose token no client can send, without showing the token', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ servers: [{ ...server, token: 'hunter two' }] }));
    expect(() => openSettingsStore({ dir })).toThrowError(/servers\[0\]\.token: expected a token of visible ASCII characters without spaces .*got a space at character 7 of 10/);
    expect(() => openSettingsStore({ dir })).not.toThrowError(/hunter/);
  });

  it('reports a file that is not JSON, naming it', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{ not json');
    expect(() => openSettingsStore({ dir })).toThrowError(new RegExp(`settings file ${file.replace(/[/.]/g, '\\$&')} is not valid JSON`));
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });
});
