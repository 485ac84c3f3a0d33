// The application menu. Without one, Electron installs its default menu, whose View
// menu has Toggle Developer Tools (Ctrl+Shift+I) even in the packaged app. Ours has
// Quit (the way out where there is no tray), the standard edit and window items, and
// developer items only in development (the packaged app also turns DevTools off in
// the window's webPreferences: window-options.ts). main/electron/ builds it with
// Menu.buildFromTemplate (the type checker holds these items to Electron's).

export type AppMenuRole =
  | 'about' | 'hide' | 'hideOthers' | 'unhide' | 'editMenu' | 'windowMenu' | 'close'
  | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'reload' | 'toggleDevTools';

export interface AppMenuItem {
  label?: string;
  role?: AppMenuRole;
  type?: 'separator';
  accelerator?: string;
  submenu?: AppMenuItem[];
  click?: () => void;
}

export function appMenuTemplate(input: { platform: NodeJS.Platform; isPackaged: boolean; productName: string; openHistory(): void; quit(): void }): AppMenuItem[] {
  const quit: AppMenuItem = { label: `Quit ${input.productName}`, accelerator: 'CmdOrCtrl+Q', click: input.quit };
  const openHistory: AppMenuItem = { label: 'Open history', accelerator: 'CmdOrCtrl+H', click: input.openHistory };
  const view: AppMenuItem = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(input.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]),
    ],
  };
  if (input.platform === 'darwin') {
    return [
      { label: input.productName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, quit] },
      { label: 'File', submenu: [{ ...openHistory, accelerator: 'CmdOrCtrl+Shift+H' }, { role: 'close' }] },
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ];
  }
  return [{ label: 'File', submenu: [openHistory, { type: 'separator' }, quit] }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}

/** Every role in a menu, submenus included (for tests). */
export function menuRoles(items: readonly AppMenuItem[]): AppMenuRole[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);
}
