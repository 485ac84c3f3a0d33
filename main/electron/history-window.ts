// A BrowserWindow as the shell's WindowHandle (main/shell/history-window.ts): the
// options object the shell builds is passed to the constructor unchanged, and the
// handle only forwards calls and events.
import { BrowserWindow, screen } from 'electron';
import type { WindowHandle } from '../shell/history-window.ts';
import type { WorkArea } from '../shell/window-bounds.ts';
import type { HistoryWindowOptions } from '../shell/window-options.ts';

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
      // everywhere (often, while dragging: the shell debounces).
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
