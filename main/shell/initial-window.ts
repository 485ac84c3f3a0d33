// Whether the app opens its window when it starts. A start at login goes straight to
// the tray: on Windows and Linux the login entry passes --hidden; on macOS Electron
// ignores login-item arguments (Electron docs, app.setLoginItemSettings: `args` is
// Windows-only), so `wasOpenedAtLogin` tells instead. But the window opens anyway on
// the very first start, and where no tray can be shown (then the app would run with no
// visible UI at all).
import { HIDDEN_FLAG } from './login-item.ts';
import { GNOME_TRAY_EXTENSION } from './tray-visibility.ts';

export interface InitialWindow {
  show: boolean;
  /** Something the user should know, for the log and the diagnostics; null when all is well. */
  notice: string | null;
}

export function startedAtLogin(input: { platform: NodeJS.Platform; argv: readonly string[]; wasOpenedAtLogin: boolean }): boolean {
  return input.platform === 'darwin' ? input.wasOpenedAtLogin : input.argv.includes(HIDDEN_FLAG);
}

export function initialWindow(input: {
  platform: NodeJS.Platform;
  argv: readonly string[];
  /** app.getLoginItemSettings().wasOpenedAtLogin (macOS; false elsewhere). */
  wasOpenedAtLogin: boolean;
  /** tray-visibility.ts: null when it could not be told. */
  trayVisible: boolean | null;
  /** No settings existed before this start. */
  firstRun: boolean;
}): InitialWindow {
  if (input.trayVisible === false) {
    return {
      show: true,
      notice:
        'no system tray is available on this desktop, so the history window stays the way to Herald' +
        (input.platform === 'linux' ? ` (on GNOME, install the "${GNOME_TRAY_EXTENSION}" extension for the tray icon)` : '') +
        '; starting Herald again opens the window, and its menu has Quit',
    };
  }
  if (input.firstRun) return { show: true, notice: null };
  return { show: !startedAtLogin(input), notice: null };
}
