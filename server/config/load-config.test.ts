import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../protocol/errors.ts';
import { CONFIG_SCHEMA, configProblems, defaultConfig, loadConfig, validateConfig } from './load-config.ts';
import { SUPPORTED_KEYWORDS, type SchemaNode } from '../protocol/schema-check.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const ISSUE_EXAMPLE = {
  system: { intervalSec: 2, thresholds: { cpu: [80, 90], memory: [85, 95], disk: [85, 95] } },
  jobs: { backup: { command: 'restic backup ~/docs', cwd: '~', timeoutSec: 3600, schedule: 'every 6h' } },
  probes: {
    site: { http: 'https://example.org/health', everySec: 30, expectStatus: 200, latencyMs: [500, 2000] },
    btc: { http: 'https://api.example/price', json: '/price/usd', everySec: 10, changePct: 1 },
    queue: { command: 'redis-cli llen jobs', everySec: 15, above: [100, 1000] },
  },
};

describe('loadConfig', () => {
  it('accepts the example from the issue unchanged', async () => {
    const path = await write('ok.json', JSON.stringify(ISSUE_EXAMPLE));
    expect(await loadConfig(path)).toEqual(ISSUE_EXAMPLE);
  });

  it('accepts the sample config shipped in docs/', async () => {
    const path = new URL('../../docs/herald.config.example.json', import.meta.url);
    const config = await loadConfig(path.pathname);
    expect(Object.keys(config.jobs ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(config.probes ?? {}).length).toBeGreaterThan(0);
  });

  it('refuses an invalid file with every problem listed by its path', async () => {
    const bad = {
      server: { port: 70000, retention: { maxAgeDays: 0 } },
      redis: 'http://localhost:6379',
      system: { intervalSec: '2', thresholds: { cpu: [95, 90], disk: [80] }, extra: true },
      jobs: {
        backup: { command: 42, schedule: 'every 6 hours', overlap: 'yes' },
        'bad name': { command: 'true' },
        deploy: { comand: 'make deploy' },
      },
      probes: {
        site: { http: 'ftp://example.org', latencyMs: [500, 200] },
        both: { http: 'http://a', command: 'echo 1' },
        none: { everySec: 0.1 },
        q: { command: 'echo 3', json: '/x', below: [10, 20] },
      },
      sources: {},
    };
    const path = await write('bad.json', JSON.stringify(bad));
    const error = await loadConfig(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HeraldError);
    expect((error as HeraldError).code).toBe('bad_config');
    const message = (error as HeraldError).message;
    const expected = [
      'server.port: expected a whole number of at most 65535, got 70000',
      'server.retention.maxAgeDays: expected a number above 0, got 0',
      'redis: expected a redis:// or rediss:// URL, got a string of 21 characters (not shown: it may hold a password)',
      'system.intervalSec: expected a number, got "2"',
      'system.thresholds.disk: expected an array of 2 numbers [warn, critical] in percent, got an array of 1',
      'system.extra: unknown key; expected one of enabled, intervalSec',
      'jobs.backup.command: expected a string, got 42',
      'jobs.backup.overlap: expected true or false, got "yes"',
      'jobs["bad name"]: expected a name of letters, digits, "_", "." or "-" as the name, got "bad name"',
      'jobs.deploy.command: expected a string, got nothing',
      'jobs.deploy.comand: unknown key; did you mean "command"?',
      'probes.site.http: expected an http:// or https:// URL, got "ftp://example.org"',
      'probes.none.everySec: expected a number of at least 0.5, got 0.1',
      'sources: unknown key; expected one of $schema, server, redis, system, jobs, probes',
      'system.thresholds.cpu: expected [warn, critical] with warn at or below critical, got [95, 90]',
      'jobs.backup.schedule: expected "every <n>s|m|h|d" (e.g. "every 6h", "every 1h30m") or "daily HH:MM", got "every 6 hours"',
      'probes.both: expected exactly one of "http" or "command", got both',
      'probes.none: expected exactly one of "http" or "command", got neither',
      'probes.q.json: only applies to an "http" probe',
      'probes.site.latencyMs: expected [warn, critical] with warn at or below critical, got [500, 200]',
      'probes.q.below: expected [warn, critical] with warn at or above critical, got [10, 20]',
    ];
    for (const line of expected) expect(message).toContain(line);
    expect(message).toContain(path);
    expect(message).toMatch(/\(21 problems\)/);
  });

  it('says where a file is not JSON', async () => {
    const path = await write('broken.json', '{ "jobs": { "a": { "command": "x" }, } }');
    await expect(loadConfig(path)).rejects.toThrow(/is not valid JSON: .*position/);
  });

  it('says when the file is missing', async () => {
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toThrow(/cannot read config file .*nope\.json: no such file/);
  });

  it('never shows a secret it refuses: a Redis URL with a typo may hold a password', () => {
    const problems = configProblems({ redis: 'redis//:S3cr3t@cache:6379', server: { token: 42 } });
    expect(problems).toContain('redis: expected a redis:// or rediss:// URL, got a string of 25 characters (not shown: it may hold a password)');
    expect(problems.join('\n')).not.toContain('S3cr3t');
  });

  it('refuses a config that is not an object', () => {
    expect(() => validateConfig([1, 2])).toThrow('(top level): expected an object, got an array of 2');
  });

  it('lets editors point at the schema with a $schema key', () => {
    expect(configProblems({ $schema: './herald.config.schema.json' })).toEqual([]);
  });

  it('describes a working default: the system source and nothing else', () => {
    const config = defaultConfig();
    expect(configProblems(config)).toEqual([]);
    expect(config.system?.enabled).toBe(true);
    expect(config.jobs).toEqual({});
    expect(config.probes).toEqual({});
  });
});

describe('the shipped JSON Schema', () => {
  function walk(node: SchemaNode, path: string, visit: (node: SchemaNode, path: string) => void): void {
    visit(node, path);
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`, visit);
    for (const [key, child] of Object.entries(node.$defs ?? {})) walk(child, `${path}.$defs.${key}`, visit);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`, visit);
    if (node.items) walk(node.items, `${path}[]`, visit);
    if (node.propertyNames) walk(node.propertyNames, `${path}(name)`, visit);
  }

  it('uses only keywords the validator enforces, so the two cannot drift', () => {
    const unknown: string[] = [];
    walk(CONFIG_SCHEMA, '', (node, path) => {
      for (const key of Object.keys(node)) if (!SUPPORTED_KEYWORDS.has(key)) unknown.push(`${path}: ${key}`);
    });
    expect(unknown).toEqual([]);
  });

  it('describes every property, for editor hovers', () => {
    const bare: string[] = [];
    walk(CONFIG_SCHEMA, '', (node, path) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description && !child.$ref && child.type !== 'object') bare.push(`${path}.${key}`);
      }
    });
    expect(bare).toEqual([]);
  });

  it('is the file the package ships', async () => {
    const onDisk = JSON.parse(await readFile(new URL('./herald.config.schema.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(CONFIG_SCHEMA);
  });
});
