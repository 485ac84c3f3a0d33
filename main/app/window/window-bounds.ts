// Where the history window opens: where the user left it, as long as that is still on
// a screen (a monitor may have been unplugged since), else a default size centred by
// the window system. Stored in its own small file beside the settings.

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

/** The area of one display a window may use (Electron's `Display.workArea`). */
export type WorkArea = WindowBounds;

export const DEFAULT_SIZE = { width: 1000, height: 700 } as const;
export const MIN_SIZE = { width: 480, height: 360 } as const;
/** How much of the title bar must be on a screen for the user to grab it. */
const GRAB_MARGIN = 64;

export const windowStateSchema = {
  bounds: {
    type: 'object',
    properties: {
      x: { type: 'integer' },
      y: { type: 'integer' },
      width: { type: 'integer', minimum: MIN_SIZE.width },
      height: { type: 'integer', minimum: MIN_SIZE.height },
    },
    required: ['x', 'y', 'width', 'height'],
  },
  maximized: { type: 'boolean', default: false },
} as const;

function isBounds(value: unknown): value is WindowBounds {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((key) => Number.isInteger(v[key]));
}

function overlapsEnough(bounds: WindowBounds, area: WorkArea): boolean {
  const left = Math.max(bounds.x, area.x);
  const right = Math.min(bounds.x + bounds.width, area.x + area.width);
  const top = Math.max(bounds.y, area.y);
  const bottom = Math.min(bounds.y + bounds.height, area.y + area.height);
  return right - left >= GRAB_MARGIN && bottom - top >= GRAB_MARGIN / 2;
}

/**
 * The bounds to open with: the saved ones when they are well formed and on a screen,
 * else only the default size (no position, so the window system centres it).
 */
export function restoreBounds(saved: unknown, displays: readonly WorkArea[]): Partial<WindowBounds> & { width: number; height: number } {
  if (!isBounds(saved)) return { ...DEFAULT_SIZE };
  const bounds = {
    ...saved,
    width: Math.max(saved.width, MIN_SIZE.width),
    height: Math.max(saved.height, MIN_SIZE.height),
  };
  // Keep the size the user chose even when the position is lost.
  if (!displays.some((area) => overlapsEnough(bounds, area))) return { width: bounds.width, height: bounds.height };
  return bounds;
}
