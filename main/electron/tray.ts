// The Electron Tray as the app's TrayHandle. The Tray object is kept in a
// module-level reference for the app's whole life: a Tray that is only a local variable
// gets garbage-collected and its icon disappears (Electron FAQ, "My app's tray
// disappeared after a few minutes").
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { TrayHandle } from '../app/tray/tray-controller.ts';
import type { TrayAction, TrayMenuItem } from '../app/tray/tray-menu.ts';

let tray: Tray | null = null;

function toTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator', id: item.id };
      case 'submenu':
        return { id: item.id, label: item.label, submenu: toTemplate(item.submenu, onAction) };
      case 'checkbox':
        return { id: item.id, type: 'checkbox', label: item.label, checked: item.checked, click: () => onAction(item.action) };
      case 'normal': {
        const { action } = item;
        return { id: item.id, label: item.label, enabled: item.enabled, ...(action ? { click: () => onAction(action) } : {}) };
      }
    }
  });
}

export function createTray(initialImage: string, onClick: () => void): TrayHandle {
  const image = nativeImage.createFromPath(initialImage);
  tray = new Tray(image);
  // Windows and macOS: a left click opens the history; the menu is on right click
  // (and on Linux, where the context menu is the only thing a click shows).
  tray.on('click', onClick);
  return {
    setImage(path) {
      const next = nativeImage.createFromPath(path);
      if (path.endsWith('Template.png')) next.setTemplateImage(true);
      tray?.setImage(next);
    },
    setToolTip: (text) => tray?.setToolTip(text),
    setMenu: (items, onAction) => tray?.setContextMenu(Menu.buildFromTemplate(toTemplate(items, onAction))),
    // macOS and Linux (Unity launchers) show it; elsewhere Electron answers false and nothing shows.
    setBadgeCount: (count) => void app.setBadgeCount(count),
  };
}

export function destroyTray(): void {
  tray?.destroy();
  tray = null;
}
