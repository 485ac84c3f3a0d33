import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_LEVELS } from './tray-icons.ts';
import { TrayController, type TrayHandle } from './tray-controller.ts';
import { buildTrayMenu, MAX_RECENT_IN_MENU, menuActions, PAUSE_ONE_HOUR_MS, type TrayAction, type TrayMenuInput, type TrayMenuItem } from './tray-menu.ts';

const base: TrayMenuInput = {
  recent: [{ server: 'bundled', id: '17', label: '12:04 job/build/3: succeeded' }],
  pauseDescription: null,
  servers: [
    { id: 'bundled', label: 'This computer: live', enabled: true, canReconnect: false },
    { id: 'ci', label: 'CI: disconnected', enabled: false, canReconnect: false },
    { id: 'home', label: 'Home: failed: token rejected', enabled: true, canReconnect: true },
  ],
  startAtLogin: false,
  notices: [],
};

function find(items: readonly TrayMenuItem[], id: string): TrayMenuItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    if (item.type === 'submenu') {
      const inner = find(item.submenu, id);
      if (inner) return inner;
    }
  }
  return undefined;
}

describe('tray menu', () => {
  it('puts what the user should know on top, as lines that do nothing', () => {
    const items = buildTrayMenu({ ...base, notices: ['Notifications cannot be shown here: no notification service is running'] });
    expect(items[0]).toEqual({ type: 'normal', id: 'notice:0', label: 'Notifications cannot be shown here: no notification service is running', enabled: false });
    expect(items[1]).toEqual({ type: 'separator', id: 'sep-notices' });
    expect(buildTrayMenu(base)[0]!.id).toBe('open-history');
  });

  it('offers every action the tray promises', () => {
    const kinds = new Set(menuActions(buildTrayMenu(base)).map((a) => a.kind));
    expect([...kinds].sort()).toEqual(
      ['connect', 'disconnect', 'open-history', 'pause-for', 'pause-until-resumed', 'pause-until-tomorrow', 'quit', 'reveal', 'set-start-at-login'].sort(),
    );
  });

  it('opens the history at a recent event', () => {
    expect(find(buildTrayMenu(base), 'recent:bundled:17')).toMatchObject({ label: '12:04 job/build/3: succeeded', action: { kind: 'reveal', server: 'bundled', id: '17' } });
  });

  it('shows at most a few recent events, one line each, and says when there are none', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ server: 's', id: String(i), label: `line ${i}\nsecond line ${'x'.repeat(200)}` }));
    const recent = find(buildTrayMenu({ ...base, recent: many }), 'recent');
    if (recent?.type !== 'submenu') throw new Error('expected a recent-events submenu');
    expect(recent.submenu).toHaveLength(MAX_RECENT_IN_MENU);
    for (const item of recent.submenu) if (item.type === 'normal') expect(item.label).not.toContain('\n');
    const none = find(buildTrayMenu({ ...base, recent: [] }), 'recent-none');
    expect(none).toMatchObject({ label: 'No events yet', enabled: false });
  });

  it('pauses for an hour, until tomorrow or until resumed; when paused it says until when and offers resume', () => {
    const running = buildTrayMenu(base);
    expect(find(running, 'pause-hour')).toMatchObject({ action: { kind: 'pause-for', ms: PAUSE_ONE_HOUR_MS } });
    expect(find(running, 'pause-tomorrow')).toMatchObject({ action: { kind: 'pause-until-tomorrow' } });
    expect(find(running, 'resume')).toBeUndefined();
    const paused = buildTrayMenu({ ...base, pauseDescription: 'Notifications paused until 14:05' });
    expect(find(paused, 'pause-state')).toMatchObject({ label: 'Notifications paused until 14:05', enabled: false });
    expect(find(paused, 'resume')).toMatchObject({ action: { kind: 'resume' } });
    expect(find(paused, 'pause')).toBeUndefined();
  });

  it('connects a disconnected server and disconnects a connected one', () => {
    const menu = buildTrayMenu(base);
    expect(find(menu, 'server:bundled')).toMatchObject({ label: 'This computer: live' });
    expect(find(menu, 'disconnect:bundled')).toMatchObject({ action: { kind: 'disconnect', server: 'bundled' } });
    expect(find(menu, 'server:ci')).toMatchObject({ label: 'CI: disconnected' });
    expect(find(menu, 'connect:ci')).toMatchObject({ label: 'Connect', action: { kind: 'connect', server: 'ci' } });
    expect(find(menu, 'connect:bundled')).toBeUndefined();
  });

  it('offers to try a failed server again now, or to disconnect it', () => {
    const menu = buildTrayMenu(base);
    expect(find(menu, 'connect:home')).toMatchObject({ label: 'Connect now', action: { kind: 'connect', server: 'home' } });
    expect(find(menu, 'disconnect:home')).toMatchObject({ action: { kind: 'disconnect', server: 'home' } });
  });

  it('toggles start at login and always ends with quit', () => {
    expect(find(buildTrayMenu(base), 'start-at-login')).toMatchObject({ type: 'checkbox', checked: false, action: { kind: 'set-start-at-login', enabled: true } });
    expect(find(buildTrayMenu({ ...base, startAtLogin: true }), 'start-at-login')).toMatchObject({ checked: true, action: { enabled: false } });
    expect(buildTrayMenu(base).at(-1)).toMatchObject({ id: 'quit', action: { kind: 'quit' } });
  });
});

describe('tray controller', () => {
  const appRoot = fileURLToPath(new URL('../..', import.meta.url));

  function fakeTray() {
    const calls: string[] = [];
    const menus: TrayMenuItem[][] = [];
    let dispatch: ((action: TrayAction) => void) | null = null;
    const tray: TrayHandle = {
      setImage: (path) => calls.push(`image ${path.slice(appRoot.length)}`),
      setToolTip: (text) => calls.push(`tooltip ${text}`),
      setMenu: (items, onAction) => {
        calls.push('menu');
        menus.push(items);
        dispatch = onAction;
      },
    };
    return { tray, calls, menus, click: (action: TrayAction) => dispatch?.(action) };
  }

  it('ships an icon for every level on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const controller = new TrayController({ tray: fakeTray().tray, appRoot, platform, onAction: () => {} });
      for (const level of TRAY_ICON_LEVELS) expect(existsSync(controller.iconFor(level)), `${platform} ${level}`).toBe(true);
    }
  });

  it('sets icon, tooltip and menu, then only what changed', () => {
    const fake = fakeTray();
    const controller = new TrayController({ tray: fake.tray, appRoot, platform: 'linux', onAction: () => {} });
    controller.render({ level: 'ok', tooltip: 'Herald: all ok', menu: base });
    expect(fake.calls).toEqual(['image resources/tray/ok.png', 'tooltip Herald: all ok', 'menu']);
    controller.render({ level: 'ok', tooltip: 'Herald: all ok', menu: base });
    expect(fake.calls).toHaveLength(3);
    controller.render({ level: 'critical', tooltip: 'Herald: disk / 97%', menu: base });
    expect(fake.calls.slice(3)).toEqual(['image resources/tray/critical.png', 'tooltip Herald: disk / 97%']);
  });

  it('uses template images on macOS and ICO files on Windows', () => {
    const mac = fakeTray();
    new TrayController({ tray: mac.tray, appRoot, platform: 'darwin', onAction: () => {} }).render({ level: 'warn', tooltip: 't', menu: base });
    expect(mac.calls[0]).toBe('image resources/tray/warnTemplate.png');
    const win = fakeTray();
    new TrayController({ tray: win.tray, appRoot, platform: 'win32', onAction: () => {} }).render({ level: 'disconnected', tooltip: 't', menu: base });
    expect(win.calls[0]).toBe('image resources/tray/disconnected.ico');
  });

  it('dispatches the clicked item’s action', () => {
    const fake = fakeTray();
    const actions: TrayAction[] = [];
    new TrayController({ tray: fake.tray, appRoot, platform: 'linux', onAction: (a) => actions.push(a) }).render({ level: 'ok', tooltip: 't', menu: base });
    const quit = find(fake.menus[0]!, 'quit');
    if (quit?.type !== 'normal' || !quit.action) throw new Error('expected a quit item');
    fake.click(quit.action);
    expect(actions).toEqual([{ kind: 'quit' }]);
  });
});
