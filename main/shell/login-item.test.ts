import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialWindow } from './initial-window.ts';
import { autostartCommand, autostartEntry, loginItemSettings, quoteExecArg, xdgAutostart } from './login-item.ts';

let configHome: string;
beforeEach(() => {
  configHome = mkdtempSync(join(tmpdir(), 'herald-autostart-'));
});
afterEach(() => rmSync(configHome, { recursive: true, force: true }));

describe('start at login on Linux (XDG autostart)', () => {
  it('writes and removes an autostart entry that starts the app hidden', () => {
    const item = xdgAutostart({ configHome, command: ['/opt/Herald/herald'] });
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    const entry = readFileSync(join(configHome, 'autostart', 'herald.desktop'), 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Herald\n');
    expect(entry).toContain('Exec=/opt/Herald/herald --hidden\n');
    item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(false);
  });

  it('quotes paths with spaces and reserved characters as the Desktop Entry spec says', () => {
    expect(quoteExecArg('/home/me/Apps/Herald 1.0.AppImage')).toBe('"/home/me/Apps/Herald 1.0.AppImage"');
    expect(quoteExecArg('/a/$HOME/"x"')).toBe('"/a/\\$HOME/\\"x\\""');
    expect(quoteExecArg('100%')).toBe('100%%');
    expect(autostartEntry(['/usr/bin/electron', '/src/herald'])).toContain('Exec=/usr/bin/electron /src/herald\n');
  });
});

describe('an autostart entry left by an older version', () => {
  it('is not taken as on when its Exec starts another file, so syncing rewrites it', () => {
    // An AppImage update: the file name carries the version, the old file is gone.
    xdgAutostart({ configHome, command: ['/home/me/Apps/Herald-0.0.9-x86_64.AppImage'] }).setEnabled(true);
    const current = xdgAutostart({ configHome, command: ['/home/me/Apps/Herald-0.1.0-x86_64.AppImage'] });
    expect(current.isEnabled()).toBe(false);
    // What DesktopApp does with a setting that says on: isEnabled() !== true, so setEnabled(true).
    current.setEnabled(true);
    expect(current.isEnabled()).toBe(true);
    expect(readFileSync(join(configHome, 'autostart', 'herald.desktop'), 'utf8')).toContain('Exec=/home/me/Apps/Herald-0.1.0-x86_64.AppImage --hidden\n');
  });

  it('starts the AppImage file when there is one, else the executable (plus the app folder in development)', () => {
    const base = { execPath: '/tmp/.mount_HeraldX/herald-desktop', appPath: '/tmp/.mount_HeraldX/resources/app.asar' };
    expect(autostartCommand({ ...base, env: { APPIMAGE: '/home/me/Herald-0.1.0-x86_64.AppImage' }, isPackaged: true })).toEqual(['/home/me/Herald-0.1.0-x86_64.AppImage']);
    expect(autostartCommand({ ...base, env: {}, isPackaged: true })).toEqual(['/tmp/.mount_HeraldX/herald-desktop']);
    expect(autostartCommand({ execPath: '/x/electron', appPath: '/src/herald', env: {}, isPackaged: false })).toEqual(['/x/electron', '/src/herald']);
  });
});

describe('start at login on macOS and Windows', () => {
  it('passes --hidden only on Windows, where Electron honours login-item args', () => {
    expect(loginItemSettings('win32', true)).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(loginItemSettings('darwin', true)).toEqual({ openAtLogin: true });
  });

  it('on macOS tells a login start by wasOpenedAtLogin, not by an argument it never gets', () => {
    const saved = { argv: ['/Applications/Herald.app/Contents/MacOS/Herald'], trayVisible: true, firstRun: false } as const;
    expect(initialWindow({ ...saved, platform: 'darwin', wasOpenedAtLogin: true })).toEqual({ show: false, notice: null });
    expect(initialWindow({ ...saved, platform: 'darwin', wasOpenedAtLogin: false })).toEqual({ show: true, notice: null });
    expect(initialWindow({ ...saved, platform: 'win32', argv: ['Herald.exe', '--hidden'], wasOpenedAtLogin: false })).toEqual({ show: false, notice: null });
  });
});
