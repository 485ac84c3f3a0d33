// Puts the tray state on the tray: the icon for the level on this platform, the
// tooltip, and the context menu, touching only what changed (rebuilding a native menu
// on every event would flicker an open menu). The tray itself is injected:
// main/electron/tray.ts wraps an Electron Tray, which it keeps referenced for the
// app's whole life so it is never garbage-collected.
import { join } from 'node:path';
import { trayIconPath, type TrayIconLevel } from './tray-icons.ts';
import { buildTrayMenu, type TrayAction, type TrayMenuInput, type TrayMenuItem } from './tray-menu.ts';

export interface TrayHandle {
  setImage(path: string): void;
  setToolTip(text: string): void;
  setMenu(items: TrayMenuItem[], onAction: (action: TrayAction) => void): void;
}

/** What the tray shows right now, for the diagnostics. */
export interface TrayRendering {
  image: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayView {
  level: TrayIconLevel;
  tooltip: string;
  menu: TrayMenuInput;
}

export class TrayController {
  readonly #tray: TrayHandle;
  readonly #appRoot: string;
  readonly #platform: NodeJS.Platform;
  readonly #onAction: (action: TrayAction) => void;
  #image: string | null = null;
  #tooltip: string | null = null;
  #menu: string | null = null;
  #rendered: TrayRendering | null = null;

  constructor(options: { tray: TrayHandle; appRoot: string; platform: NodeJS.Platform; onAction(action: TrayAction): void }) {
    this.#tray = options.tray;
    this.#appRoot = options.appRoot;
    this.#platform = options.platform;
    this.#onAction = options.onAction;
  }

  /** The image file for a level (exists for every level and platform: a test checks). */
  iconFor(level: TrayIconLevel): string {
    return join(this.#appRoot, trayIconPath(level, this.#platform));
  }

  get rendered(): TrayRendering | null {
    return this.#rendered;
  }

  render(view: TrayView): void {
    const image = this.iconFor(view.level);
    if (image !== this.#image) {
      this.#image = image;
      this.#tray.setImage(image);
    }
    if (view.tooltip !== this.#tooltip) {
      this.#tooltip = view.tooltip;
      this.#tray.setToolTip(view.tooltip);
    }
    const items = buildTrayMenu(view.menu);
    const menu = JSON.stringify(items);
    if (menu !== this.#menu) {
      this.#menu = menu;
      this.#tray.setMenu(items, this.#onAction);
    }
    this.#rendered = { image, tooltip: view.tooltip, menu: items };
  }
}
