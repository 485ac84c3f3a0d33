// The options the app's settings store is opened with, and the SettingsStore view of
// it. The app uses electron-store (main/electron/settings-store.ts), which is conf
// with Electron's paths; tests open plain conf with the very same options, so the
// schema, defaults and migrations they exercise are the app's.
import type Conf from 'conf';
import { HeraldError } from '../../server/protocol/errors.ts';
import { defaultSettings, settingsAjvOptions, settingsSchema, type Settings } from '../core/settings/settings-schema.ts';
import type { SettingsStore } from '../core/settings/settings-store.ts';
import { validateSettings } from '../core/settings/settings-validator.ts';
import { settingsMigrations } from './settings-migrations.ts';
import type { TokenVault } from './token-vault.ts';

export const SETTINGS_FILE_NAME = 'settings';

/** conf / electron-store options: the core's schema, our migrations, never wiping a bad file. */
export function settingsConfOptions(projectVersion: string) {
  return {
    schema: settingsSchema.properties as never,
    rootSchema: { additionalProperties: false },
    ajvOptions: settingsAjvOptions,
    // A file that does not validate is reported (main/electron/main.ts shows it), never reset.
    clearInvalidConfig: false,
    // Settings hold server tokens: owner-only (conf's default is 0666 less the umask).
    configFileMode: 0o600,
    projectVersion,
    migrations: settingsMigrations,
  };
}

/**
 * The core's SettingsStore over an open conf (or electron-store) instance. With a
 * token vault (token-vault.ts), server tokens live in the vault and the file keeps
 * empty ones; tokens already in the file are moved there on open.
 */
export function settingsStoreOverConf(conf: Conf<Settings>, vault: TokenVault | null = null): SettingsStore {
  const read = (): Settings => {
    const settings: Settings = { ...structuredClone(defaultSettings), ...conf.store };
    if (vault) settings.servers = settings.servers.map((server) => ({ ...server, token: vault.get(server.id) ?? server.token }));
    return settings;
  };
  const store = (patch: Partial<Settings>): void => {
    if (vault && patch.servers) {
      vault.replaceAll(new Map(patch.servers.map((server) => [server.id, server.token])));
      patch = { ...patch, servers: patch.servers.map((server) => ({ ...server, token: '' })) };
    }
    conf.set(patch as never);
  };
  if (vault && (conf.store.servers ?? []).some((server) => server.token !== '')) store({ servers: read().servers });
  return {
    path: conf.path,
    get: read,
    update(patch) {
      const result = validateSettings({ ...read(), ...patch });
      if (!result.ok) throw new HeraldError('bad_config', result.problems.map((p) => p.message).join('; '));
      store(patch);
      return read();
    },
    onChange(listener) {
      return conf.onDidAnyChange(() => listener(read()));
    },
  };
}
