// electron-builder packaging the app for Linux, offline: the real electron-builder with
// our electron-builder.yml and package.json, the `dir` target (the unpacked app that
// AppImage and deb are made from) and the deb target up to the point where it would
// run fpm (electron-builder's `effectiveOptionComputed` hook hands over fpm's
// arguments instead). Electron itself is a stand-in distribution made here
// (`electronDist`): a shell script holding Electron's fuse wire, so the fuses the
// config sets are flipped in it and read back, and which runs as Node when
// ELECTRON_RUN_AS_NODE is set and its RunAsNode fuse allows it, as Electron does.
// Nothing is downloaded: the dir target needs no tool beyond electron-builder's own.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { archFromString, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot as root } from './electron-app-dir.ts';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; homepage?: string; desktopName?: string };
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults (fuse wire v1, 8 fuses): RunAsNode, cookie encryption, NODE_OPTIONS, inspect, asar integrity, only asar, v8 snapshot, file privileges. */
const DEFAULT_WIRE = '10110001';

let work: string;
let appOut: string;
let resources: string;
let fpm: { args: string[]; desktopFile: string } | null = null;

/** The stand-in `electron`: the fuse wire is its last line (so `tail -c 9` reads RunAsNode). */
function standInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const script = [
    '#!/bin/sh',
    '# A stand-in for the Electron executable (test/electron-packaging.test.ts): Node when',
    '# ELECTRON_RUN_AS_NODE is set and the RunAsNode fuse (the last line) is on.',
    `if [ -n "$ELECTRON_RUN_AS_NODE" ] && [ "$(tail -c 9 "$0" | cut -c1)" = "1" ]; then exec '${process.execPath}' "$@"; fi`,
    'echo "stand-in electron: the app itself cannot run here" >&2',
    'exit 3',
    '',
  ].join('\n');
  const wire = Buffer.concat([Buffer.from(`# ${FUSE_SENTINEL}`), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(`${DEFAULT_WIRE}\n`)]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from(script), wire]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'herald-packaging-'));
  const project = join(work, 'project');
  mkdirSync(project);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.ts'), '--no-check', '--out', join(project, 'dist')], { cwd: root, stdio: 'pipe' });
  for (const file of ['package.json', 'electron-builder.yml']) cpSync(join(root, file), join(project, file));
  cpSync(join(root, 'build'), join(project, 'build'), { recursive: true, verbatimSymlinks: true });
  cpSync(join(root, 'resources'), join(project, 'resources'), { recursive: true });
  // electron-builder reads the production dependencies' tree (all bundled: none is packaged).
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
  standInElectron(join(work, 'electron-dist'));
  const output = join(work, 'release');
  await build({
    projectDir: project,
    targets: Platform.LINUX.createTarget(['dir', 'deb'], archFromString(process.arch)),
    config: { extends: join(project, 'electron-builder.yml'), electronDist: join(work, 'electron-dist'), npmRebuild: false, directories: { output } },
    publish: 'never',
    // The deb target's fpm call, taken instead of made (fpm would be downloaded).
    effectiveOptionComputed: async (options: [string[], string]) => {
      fpm = { args: options[0], desktopFile: readFileSync(options[1], 'utf8') };
      return true;
    },
  });
  appOut = join(output, process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`);
  resources = join(appOut, 'resources');
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packaged Linux app (electron-builder, dir target)', () => {
  it('has main, preload, window and tray icons in the asar, and no source maps or node_modules', () => {
    const files = listPackage(join(resources, 'app.asar'), { isPack: false });
    for (const file of ['/package.json', '/dist/main/main.js', '/dist/preload.cjs', '/dist/renderer/index.html', '/dist/renderer/app.js', '/dist/package.json', '/resources/icon.png', '/resources/tray/ok.png']) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => f.endsWith('.map') || f.includes('node_modules'))).toEqual([]);
    // Electron reads desktopName from the packaged package.json (the window's WM_CLASS).
    const packaged = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(packaged.desktopName).toBe('herald-desktop.desktop');
  });

  it('has the server bundle (and the CLI) outside the asar, with the package.json that makes it ESM', () => {
    const unpacked = join(resources, 'app.asar.unpacked', 'dist');
    for (const file of ['server/herald-server.js', 'server/herald-cli.js', 'package.json']) expect(existsSync(join(unpacked, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', version: pkg.version });
    // The archive lists it as unpacked, so fork() gets a real file.
    expect(statFile(join(resources, 'app.asar'), 'dist/server/herald-server.js')).toMatchObject({ unpacked: true });
    expect(statFile(join(resources, 'app.asar'), 'dist/main/main.js')).not.toHaveProperty('unpacked');
  });

  it('names the executable herald-desktop and flips the fuses electron-builder.yml sets', async () => {
    expect(statSync(join(appOut, 'herald-desktop')).mode & 0o111).not.toBe(0);
    const wire = await getCurrentFuseWire(join(appOut, 'herald-desktop'));
    const on = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] as number) === '1';
    expect(on(FuseV1Options.RunAsNode)).toBe(true);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
  });

  it('ships the `herald` command, which runs the CLI on the app runtime, also through a link (as /usr/bin/herald)', () => {
    const cli = join(resources, 'bin', 'herald');
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    const link = join(work, 'usr-bin-herald');
    symlinkSync(cli, link);
    const env = { PATH: '/usr/bin:/bin' };
    const run = spawnSync(link, ['--version'], { encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});

describe('the deb (up to fpm)', () => {
  it('has the project homepage, puts the CLI at /usr/bin/herald and the app at herald-desktop', () => {
    expect(fpm).not.toBeNull();
    const args = fpm!.args;
    expect(args[args.indexOf('--url') + 1]).toBe(pkg.homepage);
    expect(args).toContain('build/linux/herald=/usr/bin/herald');
    expect(readlinkSync(join(root, 'build', 'linux', 'herald'))).toBe('/opt/Herald/resources/bin/herald');
    expect(args.some((a) => a.endsWith('=/opt/Herald'))).toBe(true);
    expect(args.some((a) => a.endsWith('=/usr/share/applications/herald-desktop.desktop'))).toBe(true);
    expect(args.some((a) => a.endsWith('=/usr/share/icons/hicolor/512x512/apps/herald-desktop.png'))).toBe(true);
  });

  it('writes a desktop file whose StartupWMClass is the window class Electron takes from desktopName', () => {
    expect(fpm!.desktopFile).toContain('Exec=/opt/Herald/herald-desktop %U\n');
    expect(fpm!.desktopFile).toContain(`StartupWMClass=${pkg.desktopName!.replace(/\.desktop$/, '')}\n`);
  });
});
