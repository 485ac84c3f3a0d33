// Who the app is to the operating system. The id must equal electron-builder.yml's
// `appId` (a test checks): Windows shows toasts only for an AppUserModelID that a
// Start Menu shortcut carries, and the NSIS installer gives its shortcut the appId.
export const APP_ID = 'dev.herald.desktop';
export const PRODUCT_NAME = 'Herald';
