import { describe, expect, it } from 'vitest';
import { serverOptionsFromConfig } from './server-settings.ts';

describe('the config file\'s server block', () => {
  it('becomes server options in the server\'s units', () => {
    expect(
      serverOptionsFromConfig({
        server: {
          host: '0.0.0.0', port: 9000, token: 't', dataDir: '/var/lib/herald', heartbeatSec: 5,
          retention: { maxEventsPerTopic: 100, maxAgeDays: 2 }, rateLimitPerMinute: 120,
        },
      }),
    ).toEqual({
      host: '0.0.0.0', port: 9000, token: 't', dataDir: '/var/lib/herald', heartbeatMs: 5000,
      retention: { maxEventsPerTopic: 100, maxAgeMs: 2 * 24 * 60 * 60 * 1000 }, rateLimit: { perSec: 2 },
    });
  });

  it('sets nothing the file does not set, so flags spread over it win', () => {
    expect(serverOptionsFromConfig({})).toEqual({});
    expect(serverOptionsFromConfig({ server: { retention: { maxAgeDays: 1 } } })).toEqual({ retention: { maxAgeMs: 86_400_000 } });
    const merged = { ...serverOptionsFromConfig({ server: { port: 9000, host: '127.0.0.1' } }), port: 8081 };
    expect(merged).toEqual({ host: '127.0.0.1', port: 8081 });
  });
});
