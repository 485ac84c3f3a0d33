import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateElectronBinary } from './electron-binary.ts';
import { HEADLESS_COMMAND, planLaunch } from './launch-plan.ts';
import { desktopUserDataDir } from '../main/app/startup/user-data-dir.ts';

let packageDir: string;
beforeEach(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'herald-electron-pkg-'));
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

function install(relative: string): string {
  const path = join(packageDir, 'dist', relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  return path;
}

describe('finding the Electron binary without downloading it', () => {
  it('reports a package without dist/ as not installed', () => {
    const binary = locateElectronBinary({ packageDir, env: {}, platform: 'linux' });
    expect(binary).toEqual({ found: false, reason: expect.stringContaining('not installed') });
  });

  it("finds the platform's executable inside dist/", () => {
    expect(locateElectronBinary({ packageDir, env: {}, platform: 'linux' })).toMatchObject({ found: false });
    const linux = install('electron');
    expect(locateElectronBinary({ packageDir, env: {}, platform: 'linux' })).toEqual({ found: true, path: linux });
    const mac = install('Electron.app/Contents/MacOS/Electron');
    expect(locateElectronBinary({ packageDir, env: {}, platform: 'darwin' })).toEqual({ found: true, path: mac });
  });

  it('honours path.txt and ELECTRON_OVERRIDE_DIST_PATH as electron itself does', () => {
    writeFileSync(join(packageDir, 'path.txt'), 'custom-electron');
    const custom = install('custom-electron');
    expect(locateElectronBinary({ packageDir, env: {}, platform: 'linux' })).toEqual({ found: true, path: custom });
    const override = mkdtempSync(join(tmpdir(), 'herald-electron-override-'));
    try {
      expect(locateElectronBinary({ packageDir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' })).toMatchObject({
        found: false,
        reason: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH'),
      });
      writeFileSync(join(override, 'custom-electron'), '');
      expect(locateElectronBinary({ packageDir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' })).toEqual({
        found: true,
        path: join(override, 'custom-electron'),
      });
    } finally {
      rmSync(override, { recursive: true, force: true });
    }
  });
});

describe('what npm start launches', () => {
  const found = { found: true as const, path: '/e/electron' };

  it('launches Electron when the binary and a display are there', () => {
    expect(planLaunch({ binary: found, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({ kind: 'electron', executable: '/e/electron' });
    expect(planLaunch({ binary: found, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).kind).toBe('electron');
    expect(planLaunch({ binary: found, platform: 'darwin', env: {} }).kind).toBe('electron');
    expect(planLaunch({ binary: found, platform: 'win32', env: {} }).kind).toBe('electron');
  });

  it('runs the headless server on Linux without a display, saying so in one line', () => {
    const plan = planLaunch({ binary: found, platform: 'linux', env: {} });
    expect(plan.kind).toBe('headless');
    if (plan.kind !== 'headless') return;
    expect(plan.notice).toContain('no display');
    expect(plan.notice).toContain(HEADLESS_COMMAND);
    expect(plan.notice).not.toContain('\n');
  });

  it('runs the headless server when the binary is missing, naming why', () => {
    const plan = planLaunch({ binary: { found: false, reason: 'the Electron binary is not installed' }, platform: 'linux', env: { DISPLAY: ':0' } });
    expect(plan).toMatchObject({ kind: 'headless', reason: 'the Electron binary is not installed' });
  });
});

describe("the app's data folder", () => {
  it("is Electron's appData plus the product name on every platform", () => {
    expect(desktopUserDataDir('linux', {}, '/home/u')).toBe(join('/home/u', '.config', 'Herald'));
    expect(desktopUserDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe(join('/cfg', 'Herald'));
    expect(desktopUserDataDir('darwin', {}, '/Users/u')).toBe(join('/Users/u', 'Library', 'Application Support', 'Herald'));
    expect(desktopUserDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'Herald'));
  });
});
