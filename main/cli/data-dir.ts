// Where the server keeps its data by default: the platform's per-user data folder.

import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Herald');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Herald');
  // XDG Base Directory spec: $XDG_DATA_HOME, default ~/.local/share (only if absolute).
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'herald');
}
