import { describe, expect, it } from 'vitest';
import { appMenuTemplate, menuRoles } from './app-menu.ts';
import { historyWindowOptions } from './window-options.ts';

const base = { productName: 'Herald', openHistory() {}, quit() {} };

describe('application menu and DevTools', () => {
  it('has Quit on every platform, and no DevTools in the packaged app', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const packaged = appMenuTemplate({ ...base, platform, isPackaged: true });
      expect(JSON.stringify(packaged)).toContain('"label":"Quit Herald"');
      expect(menuRoles(packaged)).not.toContain('toggleDevTools');
      expect(menuRoles(appMenuTemplate({ ...base, platform, isPackaged: false }))).toContain('toggleDevTools');
    }
  });

  it('turns DevTools off in the packaged window itself (no shortcut can open them)', () => {
    const options = (devTools: boolean) => historyWindowOptions({ preloadPath: '/p.cjs', bounds: { width: 800, height: 600 }, devTools });
    expect(options(false).webPreferences.devTools).toBe(false);
    expect(options(true).webPreferences.devTools).toBe(true);
  });
});
