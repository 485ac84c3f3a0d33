// The history window's Electron side (main/app/window/ decides everything):
// - a BrowserWindow as the app's WindowHandle (main/app/window/history-window.ts): the
//   options object the app builds is passed to the constructor unchanged, and the
//   handle only forwards calls and events;
// - the app:// scheme the window is served from (main/app/window/app-origin.ts says
//   why not file://), registered as privileged before `ready` (Electron docs,
//   protocol.registerSchemesAsPrivileged: "can only be used before the ready event")
//   and handled after it by the Electron-free handler in main/app/window/app-protocol.ts.
import { BrowserWindow, protocol, screen, session } from 'electron';
import { APP_SCHEME } from '../app/window/app-origin.ts';
import { createAppRequestHandler } from '../app/window/app-protocol.ts';
import type { WindowHandle } from '../app/window/history-window.ts';
import type { WorkArea } from '../app/window/window-bounds.ts';
import type { HistoryWindowOptions } from '../app/window/window-options.ts';

export function createBrowserWindow(options: HistoryWindowOptions): WindowHandle {
  const window = new BrowserWindow(options);
  const contents = window.webContents;
  return {
    load: (url) => window.loadURL(url),
    show() {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    hide: () => window.hide(),
    maximize: () => window.maximize(),
    destroy: () => window.destroy(),
    isDestroyed: () => window.isDestroyed(),
    state: () => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() }),
    send: (channel, payload) => contents.send(channel, payload),
    onClose: (listener) => window.on('close', (event) => listener(() => event.preventDefault())),
    onClosed: (listener) => window.on('closed', listener),
    onReadyToShow: (listener) => window.once('ready-to-show', listener),
    onBoundsChanged(listener) {
      // `moved` and `resized` exist on macOS and Windows only; `move` and `resize` fire
      // everywhere (often, while dragging: the app debounces).
      for (const event of ['move', 'resize', 'maximize', 'unmaximize'] as const) window.on(event as 'move', listener);
    },
    onNavigate(listener) {
      // will-frame-navigate covers the main frame and every sub-frame.
      contents.on('will-frame-navigate', (event) => listener(event.url, () => event.preventDefault()));
      contents.on('will-redirect', (event) => listener(event.url, () => event.preventDefault()));
    },
    setWindowOpenHandler: (handler) => contents.setWindowOpenHandler(({ url }) => handler(url)),
    onAttachWebview: (listener) => contents.on('will-attach-webview', (event) => listener(() => event.preventDefault())),
  };
}

export function workAreas(): WorkArea[] {
  return screen.getAllDisplays().map((display) => display.workArea);
}

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: real origins and relative URLs; secure: a secure context like https.
    // No bypassCSP: the window's CSP applies.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveApp(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
  // The window needs no permission at all (notifications are raised by main, not the
  // page): Electron security checklist, item 5 "Handle session permission requests
  // from remote content".
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
