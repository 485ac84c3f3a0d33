// The Electron main process: a thin shell. Everything it does is decided in
// main/shell/ and main/core/ (Electron-free, tested under Node); this file only makes
// the Electron objects and hands them in. Bundled by scripts/build.ts to
// dist/main/main.js (ESM).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, safeStorage, shell } from 'electron';
import { localCalendar, systemClock } from '../core/clock.ts';
import { HistoryStore } from '../core/history/history-store.ts';
import { SubscriptionManager } from '../core/subscriptions/subscription-manager.ts';
import { APP_ID, PRODUCT_NAME } from '../shell/app-identity.ts';
import { DesktopApp } from '../shell/desktop-app.ts';
import { desktopIpcHandlers } from '../shell/desktop-ipc-handlers.ts';
import { HistoryWindow } from '../shell/history-window.ts';
import { createIpcRouter } from '../shell/ipc-router.ts';
import { createJobClient } from '../shell/job-client.ts';
import { appMenuTemplate } from '../shell/app-menu.ts';
import { initialWindow } from '../shell/initial-window.ts';
import { openTokenVault, PLAINTEXT_TOKENS_NOTICE } from '../shell/token-vault.ts';
import { trayIconPath } from '../shell/tray-icons.ts';
import { trayVisible } from '../shell/tray-visibility.ts';
import { registerAppScheme, serveApp } from './app-protocol.ts';
import { bundledServerLauncher } from './bundled-server.ts';
import { createBrowserWindow, workAreas } from './history-window.ts';
import { registerIpc } from './ipc-main.ts';
import { platformLoginItem, wasOpenedAtLogin } from './login-item.ts';
import { createElectronNotification, notificationsSupported } from './notifications.ts';
import { openSettings, openWindowState } from './settings-store.ts';
import { createTray, destroyTray } from './tray.ts';

// dist/main/main.js: dist/ holds the preload, the server and the window; the app's
// root (or asar archive) holds resources/tray/.
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const appRoot = join(distDir, '..');
const rendererDir = join(distDir, 'renderer');
const DAY_MS = 24 * 60 * 60 * 1000;

function log(message: string): void {
  console.log(`herald: ${message}`);
}

// Before `ready` (ESM main: static imports run first, then this, still before ready).
// userData is set explicitly so development (`electron .`, app name "herald") and
// the packaged app ("Herald") share one folder; HERALD_USER_DATA_DIR gives tests and
// portable setups their own (and their own single-instance lock, which lives there).
app.setPath('userData', process.env.HERALD_USER_DATA_DIR || join(app.getPath('appData'), PRODUCT_NAME));
// Windows shows toasts only for an AppUserModelID carried by a Start Menu shortcut;
// the NSIS installer makes that shortcut with the same id (electron-builder.yml appId).
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
registerAppScheme();

async function startShell(): Promise<void> {
  const userData = app.getPath('userData');
  serveApp(rendererDir);
  const firstRun = !existsSync(join(userData, 'settings.json'));
  let settings: ReturnType<typeof openSettings>;
  let history: HistoryStore;
  // Remote servers' tokens, encrypted with safeStorage where the OS has a keyring.
  const tokenVault = openTokenVault({ dir: userData, storage: safeStorage, platform: process.platform });
  try {
    settings = openSettings(tokenVault);
    const limits = settings.get().history;
    history = HistoryStore.open({ file: join(userData, 'history.sqlite'), maxEntries: limits.maxEntries, maxAgeMs: limits.maxAgeDays * DAY_MS });
  } catch (error) {
    dialog.showErrorBox('Herald cannot start', (error as Error).message);
    app.exit(1);
    return;
  }
  const window = new HistoryWindow({
    create: createBrowserWindow,
    preloadPath: join(distDir, 'preload.cjs'),
    // The window's own icon (Linux and Windows; macOS uses the bundle's).
    iconPath: join(appRoot, 'resources', 'icon.png'),
    devTools: !app.isPackaged,
    displays: workAreas,
    stateStore: openWindowState(),
    openExternal: (url) => void shell.openExternal(url),
  });
  const tray = createTray(join(appRoot, trayIconPath('disconnected', process.platform)), () => void window.open());
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const desktop = new DesktopApp({
    clock: systemClock,
    calendar: localCalendar,
    platform: process.platform,
    appRoot,
    userData,
    settings,
    history,
    createSubscriptions: (resumePoints) => new SubscriptionManager({ resumePoints }),
    tray,
    createNotification: createElectronNotification,
    notificationsSupported: notificationsSupported(),
    window,
    loginItem: platformLoginItem(),
    launchServerProcess: bundledServerLauncher(join(distDir, 'server', 'herald-server.js')),
    openExternal: (url) => void shell.openExternal(url),
    quit: () => app.quit(),
    formatTime: (ms) => time.format(ms),
    log,
  });
  const jobs = createJobClient({ fetch, address: (id) => desktop.serverAddress(id) });
  registerIpc(
    createIpcRouter({
      handlers: desktopIpcHandlers({ app: desktop, history, settings, jobs }),
      trust: { rendererDir },
      onRefused: (request) => log(request.reason),
      onError: (channel, error) => log(`${channel} failed: ${(error as Error)?.stack ?? String(error)}`),
    }),
  );
  // For a person with the inspector, and for the end-to-end test (Playwright's
  // electronApp.evaluate runs in this process): what the app did, read-only.
  (globalThis as { heraldDiagnostics?: () => unknown }).heraldDiagnostics = () => desktop.diagnostics();

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, productName: PRODUCT_NAME, openHistory: () => void window.open(), quit: () => app.quit() }),
    ),
  );
  for (const id of tokenVault?.unreadable ?? []) {
    desktop.addNotice(id === '*' ? 'The saved server tokens could not be read; enter them again in Settings' : `The token of server "${id}" could not be decrypted; enter it again in Settings`);
  }
  const noteTokens = (servers: Array<{ token: string }>) => {
    if (!tokenVault && servers.some((server) => server.token !== '')) desktop.addNotice(PLAINTEXT_TOKENS_NOTICE);
  };
  noteTokens(settings.get().servers);
  settings.onChange((next) => noteTokens(next.servers));

  app.on('second-instance', () => void window.open());
  // macOS: clicking the Dock icon of a running app.
  app.on('activate', () => void window.open());
  // Closing the window keeps the app in the tray (without this listener Electron quits).
  app.on('window-all-closed', () => {});
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    event.preventDefault();
    stopping = true;
    desktop
      .shutdown()
      .catch((error: unknown) => log(`shutdown: ${(error as Error).message}`))
      .finally(() => {
        destroyTray();
        app.quit();
      });
  });
  const shown = initialWindow({
    platform: process.platform,
    argv: process.argv,
    wasOpenedAtLogin: wasOpenedAtLogin(),
    trayVisible: await trayVisible({ platform: process.platform, env: process.env, uid: process.getuid?.() ?? 0 }),
    firstRun,
  });
  if (shown.notice) desktop.addNotice(shown.notice);
  desktop.start({ showWindow: shown.show });
}

if (!app.requestSingleInstanceLock()) {
  // Another Herald runs with this user data: it opens its window (second-instance).
  app.quit();
} else {
  app
    .whenReady()
    .then(startShell)
    .catch((error: unknown) => {
      dialog.showErrorBox('Herald cannot start', (error as Error)?.stack ?? String(error));
      app.exit(1);
    });
}
