// The history window's life: created on demand from historyWindowOptions, shown when
// ready, hidden (not destroyed) when the user closes it so the app lives on in the
// tray, destroyed only when the app quits. Its bounds are saved as they change (a
// moment after the last change: a drag sends many events) and right before it is
// destroyed (quitting destroys it without a `close` event), and restored next time. Navigation and new windows are refused; http(s) links go to the
// browser (navigation-policy.ts). The window itself is injected as a small handle:
// main/electron/history-window.ts wraps a BrowserWindow in it, tests use a fake.
import { systemClock, type Clock } from '../core/clock.ts';
import { appUrl } from './app-origin.ts';
import { decideNavigation } from './navigation-policy.ts';
import { restoreBounds, type SavedWindowState, type WindowBounds, type WorkArea } from './window-bounds.ts';
import { historyWindowOptions, type HistoryWindowOptions } from './window-options.ts';

export interface WindowHandle {
  load(url: string): Promise<void>;
  /** Show, un-minimize and focus. */
  show(): void;
  hide(): void;
  maximize(): void;
  destroy(): void;
  isDestroyed(): boolean;
  /** The bounds when not maximized, and whether it is maximized. */
  state(): SavedWindowState;
  send(channel: string, payload: unknown): void;
  /** `close`: the user asked to close; call `prevent` to keep the window. */
  onClose(listener: (prevent: () => void) => void): void;
  onClosed(listener: () => void): void;
  onReadyToShow(listener: () => void): void;
  /** Moved, resized, maximized or restored (on every platform: `move`/`resize`, not macOS/Windows-only `moved`/`resized`). */
  onBoundsChanged(listener: () => void): void;
  /** will-navigate and will-redirect, for the main frame and sub-frames alike. */
  onNavigate(listener: (url: string, prevent: () => void) => void): void;
  /** window.open and target=_blank: the answer is always deny. */
  setWindowOpenHandler(handler: (url: string) => { action: 'deny' }): void;
  onAttachWebview(listener: (prevent: () => void) => void): void;
}

export type CreateWindow = (options: HistoryWindowOptions) => WindowHandle;

export interface WindowStateStore {
  load(): unknown;
  save(state: SavedWindowState): void;
}

/** Bounds are written this long after the last move or resize. */
export const BOUNDS_SAVE_DELAY_MS = 500;

export class HistoryWindow {
  readonly #create: CreateWindow;
  readonly #preloadPath: string;
  readonly #iconPath: string | undefined;
  readonly #devTools: boolean;
  readonly #displays: () => readonly WorkArea[];
  readonly #stateStore: WindowStateStore;
  readonly #openExternal: (url: string) => void;
  readonly #clock: Clock;
  #saveTimer: unknown = null;
  #window: WindowHandle | null = null;
  #quitting = false;
  #loaded: Promise<void> | null = null;

  constructor(options: {
    create: CreateWindow;
    preloadPath: string;
    iconPath?: string;
    /** False in the packaged app. */
    devTools?: boolean;
    displays: () => readonly WorkArea[];
    stateStore: WindowStateStore;
    openExternal(url: string): void;
    clock?: Clock;
  }) {
    this.#clock = options.clock ?? systemClock;
    this.#create = options.create;
    this.#preloadPath = options.preloadPath;
    this.#iconPath = options.iconPath;
    this.#devTools = options.devTools ?? true;
    this.#displays = options.displays;
    this.#stateStore = options.stateStore;
    this.#openExternal = options.openExternal;
  }

  /** Show the window, creating it if needed. Resolves when its page has loaded. */
  open(): Promise<void> {
    const existing = this.#window && !this.#window.isDestroyed() ? this.#window : null;
    // A new window shows itself on ready-to-show, so it never flashes blank.
    const window = existing ?? this.#build();
    if (existing) window.show();
    this.#loaded ??= window.load(appUrl());
    return this.#loaded;
  }

  /** Send to the page if the window exists (a hidden window still receives). */
  send(channel: string, payload: unknown): void {
    if (this.#window && !this.#window.isDestroyed()) this.#window.send(channel, payload);
  }

  get isOpen(): boolean {
    return this.#window !== null && !this.#window.isDestroyed();
  }

  /** The app is quitting: let the window really close. */
  destroy(): void {
    this.#quitting = true;
    if (this.#window && !this.#window.isDestroyed()) {
      this.#save(this.#window);
      this.#window.destroy();
    }
    this.#window = null;
  }

  #build(): WindowHandle {
    const saved = this.#stateStore.load() as Partial<SavedWindowState> | undefined;
    const bounds = restoreBounds(saved?.bounds, this.#displays());
    const window = this.#create(
      historyWindowOptions({ preloadPath: this.#preloadPath, bounds, devTools: this.#devTools, ...(this.#iconPath ? { iconPath: this.#iconPath } : {}) }),
    );
    this.#window = window;
    this.#loaded = null;
    let shownOnce = false;
    window.onReadyToShow(() => {
      if (!shownOnce && saved?.maximized === true) window.maximize();
      shownOnce = true;
      window.show();
    });
    window.onBoundsChanged(() => this.#saveSoon(window));
    window.onClose((prevent) => {
      this.#save(window);
      if (this.#quitting) return;
      prevent();
      window.hide();
    });
    window.onClosed(() => {
      if (this.#window === window) {
        this.#window = null;
        this.#loaded = null;
      }
    });
    window.onNavigate((url, prevent) => {
      prevent();
      const decision = decideNavigation(url);
      if (decision.action === 'open-external') this.#openExternal(decision.url);
    });
    window.setWindowOpenHandler((url) => {
      const decision = decideNavigation(url);
      if (decision.action === 'open-external') this.#openExternal(decision.url);
      return { action: 'deny' };
    });
    window.onAttachWebview((prevent) => prevent());
    return window;
  }

  #saveSoon(window: WindowHandle): void {
    this.#clock.clearTimeout(this.#saveTimer);
    this.#saveTimer = this.#clock.setTimeout(() => {
      this.#saveTimer = null;
      this.#save(window);
    }, BOUNDS_SAVE_DELAY_MS);
  }

  #save(window: WindowHandle): void {
    this.#clock.clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (window.isDestroyed()) return;
    const state = window.state();
    if (isSane(state.bounds)) this.#stateStore.save(state);
  }
}

function isSane(bounds: WindowBounds): boolean {
  return [bounds.x, bounds.y, bounds.width, bounds.height].every(Number.isFinite) && bounds.width > 0 && bounds.height > 0;
}
