// Which tray image each platform gets (Electron docs, Tray "Platform Considerations"
// and NativeImage "High Resolution Image" / "Template Image"):
// - Linux: a PNG; `name@2x.png` beside it is picked up on high-DPI screens.
// - macOS: a black-on-transparent image whose name ends in `Template`, which the menu
//   bar recolours for light and dark mode.
// - Windows: an ICO, so the shell picks the size for the DPI.
// scripts/make-icons.ts writes exactly these files; a test checks every one exists.

export const TRAY_ICON_LEVELS = ['ok', 'warn', 'critical', 'disconnected'] as const;
export type TrayIconLevel = (typeof TRAY_ICON_LEVELS)[number];

/** Folder of the tray images, relative to the app's root (packaged with the app). */
export const TRAY_ICON_DIR = 'resources/tray';

/** The tray image for `level` on `platform`, relative to the app's root. */
export function trayIconPath(level: TrayIconLevel, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `${TRAY_ICON_DIR}/${level}Template.png`;
  if (platform === 'win32') return `${TRAY_ICON_DIR}/${level}.ico`;
  return `${TRAY_ICON_DIR}/${level}.png`;
}
