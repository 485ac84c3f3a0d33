// A built copy of the app in a temporary folder, laid out as electron-builder packages
// it (package.json, dist/, resources/tray/) and with no node_modules: everything the
// app runs is in the bundles. Each test that launches the app builds its own, so two
// test files (or a developer's `npm run build`) never rebuild a dist/ another is using.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Build into a new temp folder; returns the app folder (remove it when done). */
export function buildAppDir(): string {
  const appDir = mkdtempSync(join(tmpdir(), 'herald-app-build-'));
  const build = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.ts'), '--no-check', '--out', join(appDir, 'dist')], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}\n${build.stderr}`);
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string; main: string; desktopName: string };
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', main: pkg.main, desktopName: pkg.desktopName }));
  // A junction on Windows, where a directory symlink needs extra privileges.
  symlinkSync(join(projectRoot, 'resources'), join(appDir, 'resources'), process.platform === 'win32' ? 'junction' : 'dir');
  return appDir;
}
