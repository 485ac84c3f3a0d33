// Fuzzing the desktop settings validator (main/core/settings: validateSettings). It
// is documented to explain, never to throw: any value gets `{ ok: true }` or a list
// of problems, each naming the path it is about. The settings are also checked by
// ajv inside conf / electron-store, so ajv is the oracle: whatever ajv refuses,
// validateSettings must refuse too (the two judging differently would let the form
// save what the store then rejects at the next start).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateSettings } from '../main/core/settings/settings-validator.ts';
import { defaultSettings, settingsAjvOptions, settingsSchema } from '../main/core/settings/settings-schema.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, ...settingsAjvOptions });
const ajvAccepts = ajv.compile(settingsSchema);

/** Keys a parser happily makes own properties of, and that an object literal already "has". */
const trickyKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '', 'a b', 'x\ny', 'servers', 'id');
const key = fc.oneof(trickyKey, fc.string({ maxLength: 8 }));
/** JSON as it comes out of JSON.parse: `__proto__` is an own key there, not the prototype. */
const parsedJson = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const withExtraKeys = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, fc.dictionary(key, parsedJson, { maxKeys: 2 }), fc.boolean()).map(([base, extra, add]) =>
    add ? (JSON.parse(JSON.stringify({ ...base, ...extra })) as T) : base,
  );

const topic = fc.oneof(fc.constantFrom('a', 'job/*', 'probe/**', 'a/**/b', '..', '', 'x'.repeat(201)), fc.string({ maxLength: 12 }));
const server = withExtraKeys(
  fc.record(
    {
      id: fc.oneof(fc.constantFrom('local', 'a.b-c_1', 'bad id', ''), fc.string({ maxLength: 10 })),
      name: fc.oneof(fc.string({ maxLength: 10 }), parsedJson),
      url: fc.oneof(fc.constantFrom('http://127.0.0.1:8080', 'https://x', 'http://', 'https://[::1', 'ftp://x'), fc.webUrl(), parsedJson),
      token: fc.oneof(fc.string({ maxLength: 10 }), parsedJson),
      topics: fc.oneof(fc.array(topic, { maxLength: 4 }), parsedJson),
      enabled: fc.oneof(fc.boolean(), parsedJson),
    },
    { requiredKeys: ['id', 'url', 'topics'] },
  ),
);
const rule = withExtraKeys(
  fc.record({
    topic,
    field: fc.string({ maxLength: 6 }),
    equals: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), parsedJson),
    priority: fc.oneof(fc.integer({ min: -1, max: 7 }), fc.double(), parsedJson),
  }),
);
const time = fc.oneof(fc.constantFrom('22:00', '07:00', '24:00', '9:00', '23:59', ''), fc.string({ maxLength: 5 }));

/** Mostly-valid settings, each field sometimes replaced by anything at all. */
const settings = withExtraKeys(
  fc.record({
    servers: fc.oneof(fc.array(server, { maxLength: 3 }), parsedJson),
    rules: fc.oneof(fc.array(rule, { maxLength: 2 }), parsedJson),
    quietHours: fc.oneof(withExtraKeys(fc.record({ enabled: fc.boolean(), start: time, end: time })), parsedJson),
    pause: fc.oneof(fc.record({ until: fc.oneof(fc.constant(null), fc.integer(), fc.double()), indefinitely: fc.boolean() }), parsedJson),
    mutedTopics: fc.oneof(fc.array(topic, { maxLength: 3 }), parsedJson),
    coalesce: fc.oneof(fc.constant(defaultSettings.coalesce), fc.record({ maxPerWindow: fc.integer(), windowMs: fc.integer() }), parsedJson),
    reAlert: fc.oneof(fc.constant(defaultSettings.reAlert), parsedJson),
    history: fc.oneof(fc.constant(defaultSettings.history), fc.record({ maxEntries: fc.integer(), maxAgeDays: fc.integer() }), parsedJson),
    startAtLogin: fc.oneof(fc.boolean(), parsedJson),
    bundledServer: fc.oneof(fc.constant(defaultSettings.bundledServer), fc.record({ enabled: fc.boolean(), port: fc.integer({ min: -1, max: 70_000 }) })),
  }, { requiredKeys: [] }),
);

/** `servers[0].topics[2]`, `quietHours.start`, `["a b"]`, `my-key`, or '' for the settings object itself (the config's path grammar). */
const QUOTED = String.raw`\["(?:[^"\\]|\\.)*"\]`;
const PATH = new RegExp(String.raw`^(|(?:[A-Za-z_$][\w$-]*|${QUOTED})(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|${QUOTED})*)$`);

function checkExplains(value: unknown): ReturnType<typeof validateSettings> {
  let result!: ReturnType<typeof validateSettings>;
  expect(() => (result = validateSettings(value))).not.toThrow();
  if (!result.ok) {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(p.path, p.message).toMatch(PATH);
      expect(p.message.startsWith(`${p.path || 'settings'}: `), p.message).toBe(true);
      expect(p.message).not.toContain('\n');
    }
  }
  return result;
}

describe('validateSettings, fuzzed', () => {
  it('never throws on any JSON value, and every problem names its path', () => {
    fc.assert(fc.property(parsedJson, (value) => void checkExplains(value)), { numRuns: 500 });
  });

  it('refuses whatever ajv (conf / electron-store) refuses, on near-valid settings', () => {
    fc.assert(
      fc.property(settings, (partial) => {
        const value = { ...structuredClone(defaultSettings), ...(partial as object) };
        const result = checkExplains(value);
        if (!ajvAccepts(value)) expect(result.ok, `ajv refused: ${ajv.errorsText(ajvAccepts.errors)}`).toBe(false);
      }),
      { numRuns: 800 },
    );
  });

  // Findings, kept as the minimal counterexamples fast-check reported.
  it.each(['constructor', 'toString', '__proto__'])('refuses an unknown key named %j, which a plain-object lookup finds on the prototype (found by fuzzing)', (name) => {
    const value = JSON.parse(JSON.stringify({ ...defaultSettings }).replace(/^\{/, `{"${name}":1,`)) as unknown;
    const result = validateSettings(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual([name]);
    const nested = JSON.parse(JSON.stringify({ ...defaultSettings, quietHours: { ...defaultSettings.quietHours } }).replace('"enabled":false', `"${name}":1,"enabled":false`)) as unknown;
    expect(validateSettings(nested).ok).toBe(false);
  });
});
