// "Start at login". Electron's app.setLoginItemSettings covers macOS and Windows only
// (Electron docs, app.setLoginItemSettings: "macOS Windows"); on Linux desktops the
// XDG Autostart spec does it: a .desktop file in $XDG_CONFIG_HOME/autostart. The app
// starts there with --hidden, straight to the tray. On macOS login items take no
// arguments (`args` is Windows-only): initial-window.ts reads `wasOpenedAtLogin`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCT_NAME } from './app-identity.ts';

export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** The flag a login start passes: open to the tray, without the window. */
export const HIDDEN_FLAG = '--hidden';

/** Quote one Exec argument (Desktop Entry Specification, "The Exec key"). */
export function quoteExecArg(arg: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(arg)) return arg.replace(/%/g, '%%');
  return `"${arg.replace(/([\\"`$])/g, '\\$1').replace(/%/g, '%%')}"`;
}

/** What app.setLoginItemSettings / getLoginItemSettings get on macOS and Windows. */
export function loginItemSettings(platform: NodeJS.Platform, enabled: boolean): { openAtLogin: boolean; args?: string[] } {
  return platform === 'win32' ? { openAtLogin: enabled, args: [HIDDEN_FLAG] } : { openAtLogin: enabled };
}

/**
 * How to start this app from an autostart entry: the AppImage file ($APPIMAGE: an
 * AppImage runs from a temporary mount, and its file name carries the version), else
 * the executable, plus the app folder in development.
 */
export function autostartCommand(input: { env: NodeJS.ProcessEnv; execPath: string; isPackaged: boolean; appPath: string }): string[] {
  if (input.env.APPIMAGE) return [input.env.APPIMAGE];
  return input.isPackaged ? [input.execPath] : [input.execPath, input.appPath];
}

export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${PRODUCT_NAME}`,
    'Comment=Desktop notifications from live status streams',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function xdgAutostart(options: {
  /** $XDG_CONFIG_HOME, or ~/.config. */
  configHome: string;
  /** How to start this app: the AppImage, or the executable (plus the app folder in development). */
  command: readonly string[];
}): LoginItem {
  const file = join(options.configHome, 'autostart', 'herald.desktop');
  const wanted = autostartEntry([...options.command, HIDDEN_FLAG]);
  const wantedExec = execLine(wanted);
  return {
    // An entry that starts something else (an AppImage replaced by an update, whose
    // file name carries the old version) is not "on": the app rewrites it.
    isEnabled: () => {
      if (!existsSync(file)) return false;
      const entry = readFileSync(file, 'utf8');
      return entry.includes('X-GNOME-Autostart-enabled=true') && execLine(entry) === wantedExec;
    },
    setEnabled(enabled) {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(join(options.configHome, 'autostart'), { recursive: true });
      writeFileSync(file, wanted);
    },
  };
}

function execLine(entry: string): string | undefined {
  return entry.split('\n').find((line) => line.startsWith('Exec='));
}
