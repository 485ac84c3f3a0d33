import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from './settings-schema.ts';
import { validateSettings } from './settings-validator.ts';
import { SETTINGS_FILE_NAME, settingsConfOptions, settingsStoreOverConf } from './settings-conf.ts';
import { migrateTo0_1_0 } from './settings-migrations.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-migrations-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The store exactly as the app opens it (main/electron/settings.ts), under conf instead of electron-store. */
function open(projectVersion: string): Conf<Settings> {
  return new Conf<Settings>({ cwd: dir, configName: SETTINGS_FILE_NAME, ...settingsConfOptions(projectVersion) });
}

function writeRaw(content: Record<string, unknown>): void {
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(content));
}

const draftSettings = {
  servers: [
    { name: 'CI', url: 'https://ci.example:8443', topics: ['job/**'] },
    { id: 'home', name: 'Home', url: 'http://127.0.0.1:8080', token: 't', topics: ['system'], enabled: false },
    { url: 'https://ci.example:8443', topics: [] },
  ],
  rules: [{ topic: 'probe/*', field: 'state', equals: '' }, { topic: 'job/**', field: 'state', equals: 'failed' }],
  startAtLogin: true,
  bundledServer: false,
};

describe('settings migrations', () => {
  it('turns settings of a development build into valid settings when 0.1.0 first starts', () => {
    writeRaw(draftSettings);
    const store = open('0.1.0');
    const settings = { ...structuredClone(defaultSettings), ...store.store } as Settings;
    const result = validateSettings(settings);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
    expect(settings.bundledServer).toEqual({ enabled: false, port: 0 });
    expect(settings.servers.map((s) => s.id)).toEqual(['ci.example-8443', 'home', 'ci.example-8443-2']);
    expect(settings.servers[0]).toMatchObject({ name: 'CI', token: '', enabled: true });
    expect(settings.servers[1]).toMatchObject({ token: 't', enabled: false });
    expect(settings.rules).toEqual([
      { topic: 'probe/*', field: 'state', equals: null, priority: 3 },
      { topic: 'job/**', field: 'state', equals: 'failed', priority: 3 },
    ]);
    expect(settings.startAtLogin).toBe(true);
  });

  it('records the version it migrated to, so the migration runs once', () => {
    writeRaw(draftSettings);
    open('0.1.0');
    const stored = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(stored.__internal__.migrations.version).toBe('0.1.0');
    // A user's later change to a migrated value survives the next start.
    const store = open('0.1.0');
    store.set('bundledServer', { enabled: true, port: 9000 });
    expect(open('0.1.0').get('bundledServer')).toEqual({ enabled: true, port: 9000 });
  });

  it('leaves settings already in the current shape untouched', () => {
    const current = { ...structuredClone(defaultSettings), startAtLogin: true, mutedTopics: ['system'] };
    expect(migrateTo0_1_0(current)).toEqual(current);
    writeRaw(current);
    expect(open('0.1.0').store).toMatchObject(current);
  });

  it('does not run for a store that does not exist yet', () => {
    const store = open('0.1.0');
    expect(store.get('bundledServer')).toEqual(defaultSettings.bundledServer);
  });

  it('serves the migrated settings through the store the app uses, which refuses invalid changes', () => {
    writeRaw(draftSettings);
    const store = settingsStoreOverConf(open('0.1.0'));
    expect(store.get().bundledServer).toEqual({ enabled: false, port: 0 });
    const changes: boolean[] = [];
    store.onChange((settings) => changes.push(settings.startAtLogin));
    store.update({ startAtLogin: false });
    expect(changes).toEqual([false]);
    expect(() => store.update({ quietHours: { enabled: true, start: '25:00', end: '07:00' } })).toThrow(/quietHours\.start/);
    expect(store.get().quietHours.start).toBe('22:00');
    // The app's file holds server tokens: only its owner may read it.
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });
});
