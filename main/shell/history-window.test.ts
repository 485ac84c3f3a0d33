import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.ts';
import type { SavedWindowState } from './window-bounds.ts';
import { BOUNDS_SAVE_DELAY_MS, HistoryWindow, type WindowHandle } from './history-window.ts';
import type { HistoryWindowOptions } from './window-options.ts';

/** A stand-in for a BrowserWindow: records what the controller does, lets the test play the user. */
class FakeWindow implements WindowHandle {
  readonly options: HistoryWindowOptions;
  loaded: string[] = [];
  visible = false;
  maximized = false;
  destroyed = false;
  sent: Array<[string, unknown]> = [];
  bounds = { x: 50, y: 60, width: 900, height: 650 };
  readonly listeners = {
    close: [] as Array<(prevent: () => void) => void>,
    closed: [] as Array<() => void>,
    ready: [] as Array<() => void>,
    bounds: [] as Array<() => void>,
    navigate: [] as Array<(url: string, prevent: () => void) => void>,
    webview: [] as Array<(prevent: () => void) => void>,
  };
  openHandler: ((url: string) => { action: 'deny' }) | null = null;

  constructor(options: HistoryWindowOptions) {
    this.options = options;
  }
  async load(url: string): Promise<void> {
    this.loaded.push(url);
  }
  show(): void { this.visible = true; }
  hide(): void { this.visible = false; }
  maximize(): void { this.maximized = true; }
  destroy(): void {
    this.destroyed = true;
    this.listeners.closed.forEach((l) => l());
  }
  isDestroyed(): boolean { return this.destroyed; }
  state(): SavedWindowState { return { bounds: { ...this.bounds }, maximized: this.maximized }; }
  send(channel: string, payload: unknown): void { this.sent.push([channel, payload]); }
  onClose(l: (prevent: () => void) => void): void { this.listeners.close.push(l); }
  onClosed(l: () => void): void { this.listeners.closed.push(l); }
  onReadyToShow(l: () => void): void { this.listeners.ready.push(l); }
  onBoundsChanged(l: () => void): void { this.listeners.bounds.push(l); }
  onNavigate(l: (url: string, prevent: () => void) => void): void { this.listeners.navigate.push(l); }
  setWindowOpenHandler(h: (url: string) => { action: 'deny' }): void { this.openHandler = h; }
  onAttachWebview(l: (prevent: () => void) => void): void { this.listeners.webview.push(l); }

  /** The user clicks the close button; true when the window really closed. */
  userCloses(): boolean {
    let prevented = false;
    this.listeners.close.forEach((l) => l(() => (prevented = true)));
    if (!prevented) this.destroy();
    return !prevented;
  }
  navigate(url: string): boolean {
    let prevented = false;
    this.listeners.navigate.forEach((l) => l(url, () => (prevented = true)));
    return prevented;
  }
}

function setup(saved?: SavedWindowState) {
  const windows: FakeWindow[] = [];
  const external: string[] = [];
  let stored: unknown = saved;
  let saves = 0;
  const clock = new ManualClock();
  const history = new HistoryWindow({
    clock,
    create: (options) => {
      const window = new FakeWindow(options);
      windows.push(window);
      return window;
    },
    preloadPath: '/app/dist/preload.cjs',
    displays: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    stateStore: {
      load: () => stored,
      save: (state) => {
        saves++;
        stored = state;
      },
    },
    openExternal: (url) => external.push(url),
  });
  return { history, windows, external, clock, stored: () => stored, saves: () => saves };
}

describe('history window', () => {
  it('creates the BrowserWindow with the secure options and loads the app page', async () => {
    const { history, windows } = setup();
    await history.open();
    expect(windows).toHaveLength(1);
    const { webPreferences } = windows[0]!.options;
    expect(webPreferences).toMatchObject({ preload: '/app/dist/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(windows[0]!.loaded).toEqual(['app://herald/index.html']);
  });

  it('shows a new window only once it is ready, so it never flashes blank', async () => {
    const { history, windows } = setup();
    await history.open();
    expect(windows[0]!.visible).toBe(false);
    windows[0]!.listeners.ready.forEach((l) => l());
    expect(windows[0]!.visible).toBe(true);
  });

  it('hides instead of closing, so the app lives on in the tray; reopening reuses the window', async () => {
    const { history, windows } = setup();
    await history.open();
    windows[0]!.listeners.ready.forEach((l) => l());
    expect(windows[0]!.userCloses()).toBe(false);
    expect(windows[0]!.visible).toBe(false);
    await history.open();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.visible).toBe(true);
    expect(windows[0]!.loaded).toHaveLength(1);
  });

  it('really closes when the app quits', async () => {
    const { history, windows } = setup();
    await history.open();
    history.destroy();
    expect(windows[0]!.destroyed).toBe(true);
    expect(history.isOpen).toBe(false);
  });

  it('remembers where the window was and opens it there next time', async () => {
    const first = setup();
    await first.history.open();
    first.windows[0]!.bounds = { x: 200, y: 100, width: 1100, height: 700 };
    first.windows[0]!.listeners.bounds.forEach((l) => l());
    first.clock.advance(BOUNDS_SAVE_DELAY_MS);
    const saved = first.stored() as SavedWindowState;
    expect(saved).toEqual({ bounds: { x: 200, y: 100, width: 1100, height: 700 }, maximized: false });

    const second = setup({ ...saved, maximized: true });
    await second.history.open();
    expect(second.windows[0]!.options).toMatchObject({ x: 200, y: 100, width: 1100, height: 700 });
    second.windows[0]!.listeners.ready.forEach((l) => l());
    expect(second.windows[0]!.maximized).toBe(true);
  });

  it('writes the bounds once after a drag, not once per move event', async () => {
    const { history, windows, clock, saves, stored } = setup();
    await history.open();
    for (let x = 0; x < 40; x++) {
      windows[0]!.bounds = { x: 100 + x, y: 80, width: 900, height: 650 };
      windows[0]!.listeners.bounds.forEach((l) => l());
      clock.advance(16);
    }
    expect(saves()).toBe(0);
    clock.advance(BOUNDS_SAVE_DELAY_MS);
    expect(saves()).toBe(1);
    expect((stored() as SavedWindowState).bounds.x).toBe(139);
  });

  it('saves the bounds when the app quits, which destroys the window without a close event', async () => {
    const { history, windows, saves, stored } = setup();
    await history.open();
    windows[0]!.bounds = { x: 300, y: 200, width: 1000, height: 720 };
    windows[0]!.listeners.bounds.forEach((l) => l());
    // Quit from the tray before the delayed write: destroy(), no `close`.
    history.destroy();
    expect(saves()).toBe(1);
    expect(stored()).toEqual({ bounds: { x: 300, y: 200, width: 1000, height: 720 }, maximized: false });
  });

  it('refuses every navigation and opens http(s) links in the browser instead', async () => {
    const { history, windows, external } = setup();
    await history.open();
    const window = windows[0]!;
    expect(window.navigate('https://example.com/run/7')).toBe(true);
    expect(window.navigate('file:///etc/passwd')).toBe(true);
    expect(window.navigate('app://herald/other.html')).toBe(true);
    expect(window.openHandler?.('http://127.0.0.1:8080/')).toEqual({ action: 'deny' });
    expect(window.openHandler?.('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(external).toEqual(['https://example.com/run/7', 'http://127.0.0.1:8080/']);
    let prevented = false;
    window.listeners.webview.forEach((l) => l(() => (prevented = true)));
    expect(prevented).toBe(true);
  });

  it('sends to the page only while the window exists', async () => {
    const { history, windows } = setup();
    history.send('herald:events', []);
    await history.open();
    history.send('herald:events', [1]);
    expect(windows[0]!.sent).toEqual([['herald:events', [1]]]);
  });
});
