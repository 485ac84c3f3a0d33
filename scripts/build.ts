// `npm run build`: type-check both configs, then bundle everything the app runs into
// dist/ (the only folder electron-builder packages besides the tray icons):
//   dist/main/main.js            Electron main process, ESM (Electron >= 28 loads ESM main)
//   dist/preload.cjs             the window's preload: ONE CommonJS file, because a
//                                sandboxed preload cannot require anything but electron
//                                and a few built-ins (Electron docs, "Process Sandboxing")
//   dist/server/herald-server.js the bundled server, run in a utilityProcess
//   dist/server/herald-cli.js    the `herald` command, for the installed app's
//                                resources/bin/herald (Electron as Node: no Node needed)
//   dist/renderer/               the history window (scripts/build-renderer.ts)
//   dist/package.json            name, version and "type": "module" for the bundles
// `--no-check` skips the type-check (for quick local rebuilds; CI and `npm test` check).
// `--out DIR` writes the same layout to DIR instead of dist/ (tests build their own).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildRenderer } from './build-renderer.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const defaultDist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

/**
 * Lower bounds of what Electron 45 embeds: Electron 40 already shipped Chromium 144 and
 * Node 24.11 (electronjs.org/blog/electron-40-0), and later releases only move up.
 */
const ELECTRON_CHROME = 'chrome144';
const ELECTRON_NODE = 'node24';

/**
 * CommonJS packages bundled into an ESM file still call require() for Node built-ins
 * and may read __filename / __dirname; ESM has none of them, so the bundle defines them.
 */
const ESM_NODE_SHIMS = [
  "import { createRequire as __heraldCreateRequire } from 'node:module';",
  "import { fileURLToPath as __heraldFileURLToPath } from 'node:url';",
  "import { dirname as __heraldDirname } from 'node:path';",
  'const require = __heraldCreateRequire(import.meta.url);',
  'const __filename = __heraldFileURLToPath(import.meta.url);',
  'const __dirname = __heraldDirname(__filename);',
].join('\n');

export function bundles(dist: string): Record<'main' | 'preload' | 'server', esbuild.BuildOptions> {
  return {
    main: {
      entryPoints: [join(root, 'main/electron/main.ts')],
      outfile: join(dist, 'main/main.js'),
      platform: 'node',
      format: 'esm',
      target: ELECTRON_NODE,
      external: ['electron'],
      banner: { js: ESM_NODE_SHIMS },
    },
    preload: {
      entryPoints: [join(root, 'main/preload.ts')],
      outfile: join(dist, 'preload.cjs'),
      // `browser`: a Node built-in imported by the preload fails the build instead of
      // failing at runtime inside the sandbox.
      platform: 'browser',
      format: 'cjs',
      target: ELECTRON_CHROME,
      external: ['electron'],
    },
    server: {
      // One build for both: the CLI shares the server's code (the chunks).
      entryPoints: { 'herald-server': join(root, 'main/shell/bundled-server-entry.ts'), 'herald-cli': join(root, 'main/cli/main.ts') },
      outdir: join(dist, 'server'),
      // Code loaded only by a dynamic import (node-redis, for --redis) goes to its own
      // chunk, which a server without Redis never reads: ~4 MiB of the embedded
      // server's idle memory (bench/results/findings.md).
      splitting: true,
      // Beside the entries, not in a subfolder: shared code reads the version from
      // the package.json one folder up (server/app.ts), which must be dist/package.json.
      chunkNames: '[name]-[hash]',
      platform: 'node',
      format: 'esm',
      target: ELECTRON_NODE,
      banner: { js: ESM_NODE_SHIMS },
    },
  };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed${result.status === null ? ` (${result.signal})` : ` with exit code ${result.status}`}`);
  }
}

function typeCheck(): void {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const config of ['tsconfig.json', 'tsconfig.web.json']) {
    console.log(`type-checking ${config}`);
    run(process.execPath, [tsc, '--noEmit', '-p', config]);
  }
}

async function bundle(name: string, options: esbuild.BuildOptions): Promise<void> {
  await esbuild.build({
    bundle: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
    ...options,
  });
  const out = options.outfile ?? join(options.outdir!, `${Object.keys(options.entryPoints as Record<string, string>)[0]}.js`);
  console.log(`${name}: ${relative(root, out)} (${Math.round(statSync(out).size / 1024)} KiB)`);
}


export async function build(options: { check: boolean; outDir?: string }): Promise<void> {
  const dist = options.outDir ?? defaultDist;
  if (options.check) typeCheck();
  rmSync(dist, { recursive: true, force: true });
  await Promise.all(Object.entries(bundles(dist)).map(([name, bundleOptions]) => bundle(name, bundleOptions)));
  const renderer = await buildRenderer({ outDir: join(dist, 'renderer') });
  console.log(`renderer: ${relative(root, renderer)}/`);
  // dist/ is its own ESM package scope: the server bundle runs from app.asar.unpacked,
  // where the root package.json is not on its path, and the server reads its version
  // from the package.json one folder up (server/app.ts, VERSION).
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module' }, null, 2)}\n`);
}

if (import.meta.main) {
  try {
    const out = process.argv.indexOf('--out');
    await build({ check: !process.argv.includes('--no-check'), ...(out > 0 && process.argv[out + 1] ? { outDir: resolve(process.argv[out + 1]!) } : {}) });
  } catch (error) {
    console.error(`build failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
