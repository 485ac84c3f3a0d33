// Where the desktop app keeps its data (settings, history, the bundled server's event
// log and token): Electron's `appData` folder plus the product name, which is what
// main/electron/main.ts sets as `userData`. Computed here without Electron so that
// `npm start` can point the headless server at the same folder when the app cannot
// start. appData per platform follows Electron's docs (app.getPath): %APPDATA% on
// Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config on Linux.
import { join } from 'node:path';
import { PRODUCT_NAME } from './app-identity.ts';

export function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

export function desktopUserDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  return join(appDataDir(platform, env, home), PRODUCT_NAME);
}
