// Settings in electron-store (userData/settings.json), with the core's schema and
// defaults and our migrations (main/shell/settings-conf.ts), seen as the core's
// SettingsStore. Window bounds live in a second small store.
import { app } from 'electron';
import ElectronStore from 'electron-store';
import type { Settings } from '../core/settings/settings-schema.ts';
import type { SettingsStore } from '../core/settings/settings-store.ts';
import { SETTINGS_FILE_NAME, settingsConfOptions, settingsStoreOverConf } from '../shell/settings-conf.ts';
import type { TokenVault } from '../shell/token-vault.ts';
import type { WindowStateStore } from '../shell/history-window.ts';
import { windowStateSchema, type SavedWindowState } from '../shell/window-bounds.ts';

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
