// Every icon file the app ships: the application icon electron-builder packages
// (resources/icon.png for Linux and macOS, also the window's icon at runtime;
// build/icon.ico for Windows) and the tray images
// for each state and platform (names from main/shell/tray-icons.ts).
import { TRAY_ICON_DIR, TRAY_ICON_LEVELS } from '../../main/shell/tray-icons.ts';
import { drawAppIcon, drawTrayIcon } from './draw.ts';
import { encodeIco } from './ico.ts';
import { encodePng } from './png.ts';

export interface IconFile {
  /** Relative to the project root. */
  path: string;
  bytes: Buffer;
}

/** macOS menu-bar icons are 16 pt (22 pt bar); Linux trays commonly 22-32 px. */
const MAC_TRAY_PT = 16;
const LINUX_TRAY_PX = 32;
const WINDOWS_TRAY_SIZES = [16, 20, 24, 32, 40, 48, 64];
/** electron-builder wants at least 512x512 for macOS and 256x256 in the Windows ICO. */
const APP_ICON_PX = 512;
const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

export function iconSet(): IconFile[] {
  const files: IconFile[] = [
    { path: 'resources/icon.png', bytes: encodePng(drawAppIcon(APP_ICON_PX)) },
    { path: 'build/icon.ico', bytes: encodeIco(APP_ICO_SIZES.map(drawAppIcon)) },
  ];
  for (const level of TRAY_ICON_LEVELS) {
    files.push(
      { path: `${TRAY_ICON_DIR}/${level}.png`, bytes: encodePng(drawTrayIcon(level, LINUX_TRAY_PX, false)) },
      { path: `${TRAY_ICON_DIR}/${level}@2x.png`, bytes: encodePng(drawTrayIcon(level, LINUX_TRAY_PX * 2, false)) },
      { path: `${TRAY_ICON_DIR}/${level}Template.png`, bytes: encodePng(drawTrayIcon(level, MAC_TRAY_PT, true)) },
      { path: `${TRAY_ICON_DIR}/${level}Template@2x.png`, bytes: encodePng(drawTrayIcon(level, MAC_TRAY_PT * 2, true)) },
      {
        path: `${TRAY_ICON_DIR}/${level}.ico`,
        bytes: encodeIco(WINDOWS_TRAY_SIZES.map((size) => drawTrayIcon(level, size, false))),
      },
    );
  }
  return files;
}
