// The options the history window is created with: main/electron/history-window.ts
// passes exactly this object to `new BrowserWindow(...)` (the type checker holds it to
// Electron's BrowserWindowConstructorOptions), and a test asserts the security
// settings on it. Electron security checklist: 2 "Do not enable Node.js integration
// for remote content", 3 "Enable context isolation", 4 "Enable process sandboxing",
// 6 "Do not disable webSecurity", 8 "Do not enable allowRunningInsecureContent",
// 9 "Do not enable experimental features", 12 "Do not use <webview>".
import { MIN_SIZE, type WindowBounds } from './window-bounds.ts';

export interface HistoryWindowOptions {
  title: string;
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  /** Shown on `ready-to-show`, so the window never flashes blank. */
  show: false;
  autoHideMenuBar: true;
  icon?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: false;
    /** Off in the packaged app. */
    devTools: boolean;
  };
}

export function historyWindowOptions(input: {
  preloadPath: string;
  bounds: Partial<WindowBounds> & { width: number; height: number };
  iconPath?: string;
  devTools: boolean;
}): HistoryWindowOptions {
  const { x, y, width, height } = input.bounds;
  return {
    title: 'Herald',
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    width,
    height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    autoHideMenuBar: true,
    ...(input.iconPath !== undefined ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
    },
  };
}
