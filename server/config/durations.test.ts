import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA, configProblems } from './load-config.ts';
import type { SchemaNode } from '../protocol/schema-check.ts';
import { MAX_DURATION_SEC, MAX_HEARTBEAT_SEC, MAX_RETAIN_DAYS } from './durations.ts';

/** Every property of the schema whose name says it is a duration, with its path. */
function durationFields(node: SchemaNode, path: string, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (/(Sec|Days)$/.test(key)) out.push([`${path}.${key}`, child]);
    durationFields(child, `${path}.${key}`, out);
  }
  if (typeof node.additionalProperties === 'object') durationFields(node.additionalProperties, `${path}.*`, out);
  return out;
}

describe('durations in the config', () => {
  it('gives every duration field of the schema a maximum', () => {
    const fields = durationFields(CONFIG_SCHEMA, '');
    expect(fields.map(([path]) => path)).toContain('.jobs.*.timeoutSec');
    expect(fields.filter(([, node]) => node.maximum === undefined).map(([path]) => path)).toEqual([]);
    const maxima = Object.fromEntries(fields.map(([path, node]) => [path, node.maximum]));
    expect(maxima).toEqual({
      '.server.heartbeatSec': MAX_HEARTBEAT_SEC,
      '.server.retention.maxAgeDays': MAX_RETAIN_DAYS,
      '.system.intervalSec': MAX_DURATION_SEC,
      '.system.holdSec': MAX_DURATION_SEC,
      '.jobs.*.timeoutSec': MAX_DURATION_SEC,
      '.probes.*.everySec': MAX_DURATION_SEC,
      '.probes.*.timeoutSec': MAX_DURATION_SEC,
      '.probes.*.holdSec': MAX_DURATION_SEC,
    });
  });

  it('refuses a duration past its maximum, naming the maximum', () => {
    expect(
      configProblems({
        server: { heartbeatSec: 3_000_000 },
        system: { intervalSec: 40_000_000 },
        jobs: { backup: { command: 'true', timeoutSec: 40_000_000, schedule: 'every 400d' } },
        probes: { site: { http: 'http://127.0.0.1/', everySec: 40_000_000 } },
      }),
    ).toEqual([
      'server.heartbeatSec: expected a number of at most 3600, got 3000000',
      'system.intervalSec: expected a number of at most 31536000, got 40000000',
      'jobs.backup.timeoutSec: expected a number of at most 31536000, got 40000000',
      'probes.site.everySec: expected a number of at most 31536000, got 40000000',
      'jobs.backup.schedule: expected a schedule of at most 365 days ("every 365d"), got "every 400d"',
    ]);
  });

  it('accepts the longest ones, past what one setTimeout can wait', () => {
    expect(
      configProblems({
        jobs: { backup: { command: 'true', timeoutSec: 3_000_000, schedule: 'every 30d' } },
        probes: { site: { http: 'http://127.0.0.1/', everySec: MAX_DURATION_SEC, timeoutSec: MAX_DURATION_SEC } },
      }),
    ).toEqual([]);
  });
});
