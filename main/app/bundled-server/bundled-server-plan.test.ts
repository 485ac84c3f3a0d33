import { describe, expect, it } from 'vitest';
import { BUNDLED_SERVER_ID, BUNDLED_TOPICS, bundledServerSettings } from './bundled-server-plan.ts';

describe('bundled server plan', () => {
  it('subscribes to everything the bundled server computes', () => {
    expect(BUNDLED_TOPICS).toEqual(['system', 'job/**', 'probe/**', 'run/**']);
    expect(bundledServerSettings({ url: 'http://127.0.0.1:4321', token: 'tok' })).toEqual({
      id: BUNDLED_SERVER_ID,
      name: 'This computer',
      url: 'http://127.0.0.1:4321',
      token: 'tok',
      topics: ['system', 'job/**', 'probe/**', 'run/**'],
      enabled: true,
    });
  });
});
