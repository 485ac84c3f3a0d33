import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, type ServerSettings, type Settings } from '../settings/settings-schema.ts';
import { BUNDLED_SERVER_ID } from '../bundled-server/bundled-server-plan.ts';
import { planStartup } from './startup-plan.ts';

const userData = join('/home/u/.config/Herald');
const ci: ServerSettings = { id: 'ci', name: 'CI', url: 'https://ci.example', token: 't', topics: ['job/**'], enabled: true };
const off: ServerSettings = { ...ci, id: 'off', enabled: false };

function settings(patch: Partial<Settings>): Settings {
  return { ...structuredClone(defaultSettings), ...patch };
}

describe('start-up plan', () => {
  it('starts the bundled server by default, on a free port, with data and token in user data', () => {
    const plan = planStartup(settings({}), userData);
    expect(plan.bundledServer).toEqual({ port: 0, dataDir: join(userData, 'server'), tokenFile: join(userData, 'server-token') });
  });

  it('does not start the bundled server when the settings turn it off', () => {
    expect(planStartup(settings({ bundledServer: { enabled: false, port: 0 } }), userData).bundledServer).toBeNull();
  });

  it('uses the port the settings fix', () => {
    expect(planStartup(settings({ bundledServer: { enabled: true, port: 8765 } }), userData).bundledServer?.port).toBe(8765);
  });

  it('lists the servers from the settings, enabled or not, and skips one that takes the reserved id', () => {
    const clash = { ...ci, id: BUNDLED_SERVER_ID, name: 'Mine' };
    const plan = planStartup(settings({ servers: [ci, off, clash] }), userData);
    expect(plan.servers.map((s) => s.id)).toEqual(['ci', 'off']);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('"Mine"');
  });

});
