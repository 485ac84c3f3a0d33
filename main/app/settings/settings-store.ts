// Settings on disk under plain Node, through `conf` (electron-store's base), with the
// same schema and defaults the desktop app gives electron-store. Every write is
// checked by validateSettings first, so a bad value is refused with a message by path
// instead of conf's generic ajv text; a bad file on disk is reported, never wiped
// (conf's `clearInvalidConfig` stays off).

import { readFileSync } from 'node:fs';
import Conf from 'conf';
import { HeraldError } from '../../../server/protocol/errors.ts';
import { defaultSettings, settingsAjvOptions, settingsSchema, type Settings } from './settings-schema.ts';
import { validateSettings } from './settings-validator.ts';

export interface SettingsStore {
  /** The file the settings live in. */
  readonly path: string;
  get(): Settings;
  /** Replace the given top-level settings; refuses (HeraldError bad_config) anything invalid. */
  update(patch: Partial<Settings>): Settings;
  /** Called after every change made through this store. Returns an unsubscribe. */
  onChange(listener: (settings: Settings) => void): () => void;
}

function explain(path: string, value: unknown): HeraldError {
  const result = validateSettings(value);
  const detail = result.ok ? 'it could not be read' : result.problems.map((p) => p.message).join('; ');
  return new HeraldError('bad_config', `settings file ${path} is not valid: ${detail}. Fix or remove it.`);
}

export function openSettingsStore(options: { dir: string; name?: string }): SettingsStore {
  const configName = options.name ?? 'settings';
  let conf: Conf<Settings>;
  try {
    conf = new Conf<Settings>({
      cwd: options.dir,
      configName,
      schema: settingsSchema.properties as never,
      rootSchema: { additionalProperties: false },
      ajvOptions: settingsAjvOptions,
      clearInvalidConfig: false,
      // Settings hold server tokens: owner-only (conf's default is 0666 less the umask).
      configFileMode: 0o600,
    });
  } catch (error) {
    const file = `${options.dir}/${configName}.json`;
    let raw: unknown;
    try {
      raw = { ...defaultSettings, ...JSON.parse(readFileSync(file, 'utf8')) };
    } catch (readError) {
      throw new HeraldError('bad_config', `settings file ${file} is not valid JSON (${(readError as Error).message}). Fix or remove it.`, { cause: error });
    }
    throw explain(file, raw);
  }

  const read = (): Settings => ({ ...structuredClone(defaultSettings), ...conf.store });

  return {
    path: conf.path,
    get: read,
    update(patch) {
      const next = { ...read(), ...patch };
      const result = validateSettings(next);
      if (!result.ok) {
        throw new HeraldError('bad_config', result.problems.map((p) => p.message).join('; '));
      }
      conf.set(patch as never);
      return read();
    },
    onChange(listener) {
      return conf.onDidAnyChange(() => listener(read()));
    },
  };
}
