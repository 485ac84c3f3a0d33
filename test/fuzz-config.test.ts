// Fuzzing the config loader (server/config). Its contract: a file that cannot be
// read, parsed or validated throws a HeraldError `bad_config` and nothing else; the
// message names the file, and each problem line starts with the path it is about
// (`jobs.backup.command: ...`, `probes["my probe"]: ...`, `(top level): ...`).
// ajv, judging the same JSON Schema file, is the oracle for validity: what ajv
// refuses, validateConfig must refuse too.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { HeraldError } from '../server/protocol/errors.ts';
import { CONFIG_SCHEMA, loadConfig, validateConfig } from '../server/config/load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'herald-fuzz-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ajv = new Ajv2020({ allErrors: true, strict: false });
const ajvAccepts = ajv.compile(CONFIG_SCHEMA);

const trickyKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'a b', 'x\ny', 'cpu', 'command', 'backup');
const key = fc.oneof(trickyKey, fc.string({ maxLength: 8 }));
const parsedJson = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const number = fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), parsedJson);
const lines = fc.oneof(fc.tuple(number, number), fc.array(number, { maxLength: 3 }), parsedJson);
const schedule = fc.oneof(fc.constantFrom('every 6h', 'every 1h30m', 'every 0.5s', 'daily 02:30', 'daily 24:00', 'every', ''), fc.string({ maxLength: 12 }), parsedJson);
/** A record of `shape`, sometimes with unknown keys (tricky ones included) added. */
const loose = (shape: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(shape, { requiredKeys: [] }), fc.dictionary(key, parsedJson, { maxKeys: 2 }), fc.boolean()).map(([base, extra, add]) =>
    add ? (JSON.parse(JSON.stringify({ ...base, ...extra })) as unknown) : base,
  );
const named = (value: fc.Arbitrary<unknown>) =>
  fc.dictionary(fc.oneof(fc.constantFrom('backup', 'site', 'a.b-c'), key), value, { maxKeys: 3 }).map((d) => JSON.parse(JSON.stringify(d)) as unknown);

const config = loose({
  server: fc.oneof(loose({ host: fc.string(), port: number, token: fc.string(), heartbeatSec: number, retention: loose({ maxEventsPerTopic: number, maxAgeDays: number }), maxHookBodyBytes: number, metricsOpenLoopback: fc.oneof(fc.boolean(), parsedJson) }), parsedJson),
  redis: fc.oneof(fc.constantFrom('redis://localhost:6379', 'http://x'), fc.string()),
  system: fc.oneof(loose({ enabled: fc.boolean(), intervalSec: number, thresholds: fc.oneof(named(lines), loose({ cpu: lines, memory: lines, disk: lines, load: lines })) }), parsedJson),
  jobs: fc.oneof(named(loose({ command: fc.oneof(fc.string(), parsedJson), schedule, cwd: fc.string(), timeoutSec: number, overlap: fc.boolean(), env: named(fc.string()) })), parsedJson),
  probes: fc.oneof(
    named(loose({ http: fc.oneof(fc.constantFrom('https://example.org', 'ftp://x'), fc.string()), command: fc.string(), method: fc.constantFrom('GET', 'PUT'), json: fc.constantFrom('/a', 'a', ''), everySec: number, latencyMs: lines, above: lines, below: lines, cwd: fc.string() })),
    parsedJson,
  ),
  integrations: fc.oneof(
    loose({
      alertmanager: fc.oneof(loose({ topic: fc.oneof(fc.constantFrom('alerts/{{ labels.alertname }}', 'a b', '{{ x'), fc.string()) }), parsedJson),
      github: fc.oneof(loose({ secret: fc.oneof(fc.string(), parsedJson) }), parsedJson),
    }),
    parsedJson,
  ),
  hooks: fc.oneof(
    named(loose({
      topic: fc.oneof(fc.constantFrom('t/{{ a.b }}', '{{ /x }}', '{{', ''), fc.string({ maxLength: 12 })),
      title: fc.oneof(fc.string({ maxLength: 12 }), parsedJson),
      level: fc.oneof(fc.constantFrom('ok', '{{ s }}', 'red'), loose({ from: fc.string({ maxLength: 8 }), map: named(fc.oneof(fc.constantFrom('ok', 'critical', 'red', 3), parsedJson)), default: parsedJson }), parsedJson),
      priority: fc.oneof(fc.constantFrom('4', 'high', 'loud'), loose({ from: fc.string({ maxLength: 8 }), map: named(parsedJson) }), parsedJson),
      secret: fc.string({ maxLength: 8 }),
      signatureHeader: fc.oneof(fc.constantFrom('X-Sig', 'bad header'), parsedJson),
      secretHeader: fc.constantFrom('X-Secret'),
    })),
    parsedJson,
  ),
});

const QUOTED = String.raw`\["(?:[^"\\]|\\.)*"\]`;
/** What each problem line starts with: `(top level)`, `jobs.backup.command`, `probes["a b"].http`, `system.mounts[0]`. */
const PROBLEM_LINE = new RegExp(String.raw`^  - (\(top level\)|(?:[A-Za-z_$][\w$-]*|${QUOTED})(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|${QUOTED})*): \S`);

/** validateConfig's verdict: the config, or its problem lines. Anything but bad_config fails the test. */
function verdict(value: unknown): { ok: true } | { ok: false; lines: string[] } {
  try {
    validateConfig(value, 'config');
    return { ok: true };
  } catch (error) {
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('bad_config');
    const [head, ...lines] = (error as Error).message.split('\n');
    expect(head).toMatch(/^config is invalid \(\d+ problems?\):$/);
    for (const line of lines) expect(line).toMatch(PROBLEM_LINE);
    return { ok: false, lines };
  }
}

describe('config loader, fuzzed', () => {
  it('refuses any JSON value that is not a config with bad_config, each problem on its own line under its path', () => {
    fc.assert(fc.property(parsedJson, (value) => void verdict(value)), { numRuns: 400 });
  });

  it('refuses whatever ajv refuses on near-valid configs, and explains each problem by path', () => {
    fc.assert(
      fc.property(config, (value) => {
        const result = verdict(value);
        if (!ajvAccepts(value)) expect(result.ok, `ajv refused: ${ajv.errorsText(ajvAccepts.errors)}`).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('loads any file contents to a config or a bad_config error that names the file', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), config.map((c) => Buffer.from(JSON.stringify(c) ?? ''))), async (bytes) => {
        const file = join(dir, `config-${n++}.json`);
        writeFileSync(file, bytes);
        try {
          await loadConfig(file);
        } catch (error) {
          expect(error).toBeInstanceOf(HeraldError);
          expect((error as HeraldError).code).toBe('bad_config');
          expect((error as Error).message).toContain(file);
        }
      }),
      { numRuns: 200 },
    );
  });

  // Findings, kept as the minimal counterexamples fast-check reported.
  it.each(['constructor', 'toString', '__proto__'])('refuses an unknown key named %j, which a plain-object lookup finds on the prototype (found by fuzzing)', (name) => {
    const known = Object.keys(CONFIG_SCHEMA.properties ?? {}).join(', ');
    expect(known).toMatch(/^\$schema, server, redis, system, jobs, probes/);
    expect(verdict(JSON.parse(`{"${name}": 1}`))).toEqual({ ok: false, lines: [`  - ${name}: unknown key; expected one of ${known}`] });
    expect(verdict(JSON.parse(`{"system": {"${name}": 1}}`)).ok).toBe(false);
  });

  it('quotes a threshold name that is not a plain name, so the problem stays on one line under its path (found by fuzzing)', () => {
    const result = verdict(JSON.parse('{"system": {"thresholds": {"x\\ny": [95, 90]}}}'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.lines.every((line) => line.startsWith('  - system.thresholds["x\\ny"]'))).toBe(true);
  });
});
