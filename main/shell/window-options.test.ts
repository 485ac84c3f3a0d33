import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, restoreBounds } from './window-bounds.ts';
import { historyWindowOptions } from './window-options.ts';

describe('history window options', () => {
  const options = historyWindowOptions({ preloadPath: '/app/dist/preload.cjs', bounds: { x: 10, y: 20, width: 900, height: 600 }, devTools: false });

  it('isolates and sandboxes the renderer, with no Node', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and the risky features off', () => {
    expect(options.webPreferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('opens hidden (shown when ready) at the remembered place', () => {
    expect(options).toMatchObject({ show: false, x: 10, y: 20, width: 900, height: 600, minWidth: MIN_SIZE.width, minHeight: MIN_SIZE.height });
  });

  it('leaves the position to the window system when none is known', () => {
    const centred = historyWindowOptions({ preloadPath: '/p.cjs', bounds: { ...DEFAULT_SIZE }, devTools: false });
    expect(centred).not.toHaveProperty('x');
    expect(centred).not.toHaveProperty('y');
  });
});

describe('remembered window bounds', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const monitor = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('restores bounds that are on a screen', () => {
    expect(restoreBounds({ x: 1600, y: 100, width: 1200, height: 800 }, [laptop, monitor])).toEqual({ x: 1600, y: 100, width: 1200, height: 800 });
  });

  it('keeps the size but drops the position when that screen is gone', () => {
    expect(restoreBounds({ x: 1600, y: 100, width: 1200, height: 800 }, [laptop])).toEqual({ width: 1200, height: 800 });
  });

  it('falls back to the default size for missing or damaged state', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual(DEFAULT_SIZE);
    expect(restoreBounds({ x: 'a', y: 0, width: 10, height: 10 }, [laptop])).toEqual(DEFAULT_SIZE);
  });

  it('never restores a window smaller than the minimum', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 100, height: 50 }, [laptop])).toEqual({ x: 0, y: 0, ...MIN_SIZE });
  });
});
