// Server tokens encrypted with safeStorage: the settings store the app uses, over conf
// (as electron-store is), with the fake safeStorage of test/electron-fake/ (Linux's
// behaviour, real AES encryption). What is on disk is read back raw.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type ServerSettings, type Settings } from '../core/settings/settings-schema.ts';
import { fakeSafeStorage } from '../../test/electron-fake/safe-storage.ts';
import { SETTINGS_FILE_NAME, settingsConfOptions, settingsStoreOverConf } from './settings-conf.ts';
import { encryptionIsReal, openTokenVault, TOKENS_FILE_NAME } from './token-vault.ts';

const TOKEN = 'tok-7f3a9c-secret-for-ci';
const server: ServerSettings = { id: 'ci', name: 'CI', url: 'https://ci.example/', token: TOKEN, topics: ['job/**'], enabled: true };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-tokens-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openStore(hasKeyring: boolean) {
  const storage = fakeSafeStorage({ isReady: () => true, hasKeyring });
  const vault = openTokenVault({ dir, storage, platform: 'linux' });
  const conf = new Conf<Settings>({ cwd: dir, configName: SETTINGS_FILE_NAME, ...settingsConfOptions('0.1.0') });
  return { store: settingsStoreOverConf(conf, vault), vault };
}

const raw = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('server tokens with a keyring', () => {
  it('never writes a token in the clear, and reads it back after a restart', () => {
    const { store } = openStore(true);
    store.update({ servers: [server] });
    expect(store.get().servers[0]!.token).toBe(TOKEN);
    expect(raw('settings.json')).not.toContain(TOKEN);
    expect(raw(TOKENS_FILE_NAME)).not.toContain(TOKEN);
    expect(statSync(join(dir, TOKENS_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(openStore(true).store.get().servers).toEqual([server]);
  });

  it('moves tokens an older version left in settings.json into the encrypted file', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...defaultSettings, servers: [server] }), { mode: 0o600 });
    const { store } = openStore(true);
    expect(raw('settings.json')).not.toContain(TOKEN);
    expect(store.get().servers[0]!.token).toBe(TOKEN);
  });

  it('forgets the token of a removed server', () => {
    const { store } = openStore(true);
    store.update({ servers: [server, { ...server, id: 'home', token: 'other-token' }] });
    store.update({ servers: [server] });
    expect(Object.keys((JSON.parse(raw(TOKENS_FILE_NAME)) as { tokens: object }).tokens)).toEqual(['ci']);
  });
});

describe('server tokens without a keyring (Linux basic_text)', () => {
  it('keeps them in the owner-only settings file, where the app says so', () => {
    expect(encryptionIsReal(fakeSafeStorage({ isReady: () => true, hasKeyring: false }), 'linux')).toBe(false);
    expect(encryptionIsReal(fakeSafeStorage({ isReady: () => false, hasKeyring: true }), 'linux')).toBe(false);
    const { store, vault } = openStore(false);
    expect(vault).toBeNull();
    store.update({ servers: [server] });
    expect(raw('settings.json')).toContain(TOKEN);
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });
});
