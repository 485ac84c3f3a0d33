// Start at login: app.setLoginItemSettings on macOS and Windows, an XDG autostart
// entry on Linux (main/shell/login-item.ts says why).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { HIDDEN_FLAG, xdgAutostart, type LoginItem } from '../shell/login-item.ts';

export function platformLoginItem(): LoginItem {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return {
      isEnabled: () => app.getLoginItemSettings({ args: [HIDDEN_FLAG] }).openAtLogin,
      setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] }),
    };
  }
  // An AppImage runs from a temporary mount: the file to start is $APPIMAGE.
  const command = process.env.APPIMAGE
    ? [process.env.APPIMAGE]
    : app.isPackaged
      ? [process.execPath]
      : [process.execPath, app.getAppPath()];
  return xdgAutostart({ configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), command });
}
