// Where the Electron executable is, found WITHOUT `require('electron')`: that module
// starts a download when the binary is missing (node_modules/electron/index.js,
// downloadElectron), which `npm start` and the end-to-end test must not trigger by
// merely asking. Mirrors electron's own lookup: ELECTRON_OVERRIDE_DIST_PATH, then
// `dist/` inside the package with the platform's executable name (install.js,
// getPlatformPath).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronExecutableName(platform: NodeJS.Platform): string | null {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function locateElectronBinary(input: {
  /** node_modules/electron */
  packageDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}): ElectronBinary {
  const { packageDir, env, platform } = input;
  // path.txt is written by a successful install and names the executable inside dist/.
  let name = electronExecutableName(platform);
  try {
    name = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim() || name;
  } catch {
    // No install has completed: fall back to the platform's name.
  }
  if (name === null) return { found: false, reason: `Electron has no build for ${platform}` };
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, name);
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` };
  }
  const path = join(packageDir, 'dist', name);
  return existsSync(path)
    ? { found: true, path }
    : { found: false, reason: `the Electron binary is not installed (no ${path})` };
}
