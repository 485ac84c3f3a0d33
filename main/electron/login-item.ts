// Start at login: app.setLoginItemSettings on macOS and Windows, an XDG autostart
// entry on Linux (main/shell/login-item.ts says why and with which settings).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { autostartCommand, loginItemSettings, xdgAutostart, type LoginItem } from '../shell/login-item.ts';

export function platformLoginItem(): LoginItem {
  const platform = process.platform;
  if (platform === 'darwin' || platform === 'win32') {
    const { args } = loginItemSettings(platform, true);
    return {
      isEnabled: () => app.getLoginItemSettings(args ? { args } : undefined).openAtLogin,
      setEnabled: (enabled) => app.setLoginItemSettings(loginItemSettings(platform, enabled)),
    };
  }
  const command = autostartCommand({ env: process.env, execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath() });
  return xdgAutostart({ configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), command });
}

/** macOS: this start is the login item's (false elsewhere). */
export function wasOpenedAtLogin(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
