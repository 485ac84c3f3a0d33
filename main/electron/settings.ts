// Settings in electron-store (userData/settings.json), with the app's schema and
// defaults and our migrations (main/app/settings/settings-conf.ts), seen as the app's
// SettingsStore. Window bounds live in a second small store.
import { app } from 'electron';
import ElectronStore from 'electron-store';
import type { Settings } from '../app/settings/settings-schema.ts';
import type { SettingsStore } from '../app/settings/settings-store.ts';
import { SETTINGS_FILE_NAME, settingsConfOptions, settingsStoreOverConf } from '../app/settings/settings-conf.ts';
import type { TokenVault } from '../app/settings/token-vault.ts';
import type { WindowStateStore } from '../app/window/history-window.ts';
import { windowStateSchema, type SavedWindowState } from '../app/window/window-bounds.ts';

export function openSettings(tokenVault: TokenVault | null): SettingsStore {
  const store = new ElectronStore<Settings>({ name: SETTINGS_FILE_NAME, ...settingsConfOptions(app.getVersion()) });
  return settingsStoreOverConf(store, tokenVault);
}

export function openWindowState(): WindowStateStore {
  const store = new ElectronStore<Partial<SavedWindowState>>({
    name: 'window-state',
    schema: windowStateSchema as never,
    // Losing a window position is harmless; refusing to start over it is not.
    clearInvalidConfig: true,
  });
  return {
    load: () => store.store,
    save: (state) => store.set(state),
  };
}
