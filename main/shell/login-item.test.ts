import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartEntry, quoteExecArg, xdgAutostart } from './login-item.ts';

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
