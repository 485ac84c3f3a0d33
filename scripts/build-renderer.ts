// Bundle the history window (renderer/) into one folder: index.html, app.js (one ES
// module, browser target) and app.css. The desktop app loads it in its window; `herald
// serve` serves it at `/` as the web dashboard. `npm run build:renderer` runs this;
// `npm run build` calls it too. Tests import buildRenderer to build into a temp dir.

import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_RENDERER_OUT = join(ROOT, 'dist', 'renderer');

export interface BuildRendererOptions {
  outDir?: string;
  /** The entry module (the bench uses its own, with an in-memory bridge). */
  entry?: string;
  minify?: boolean;
}

export async function buildRenderer(options: BuildRendererOptions = {}): Promise<string> {
  const outDir = options.outDir ?? DEFAULT_RENDERER_OUT;
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [options.entry ?? join(ROOT, 'renderer', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Chromium in Electron 45 and current browsers; keeps private fields and ?? as written.
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'silent',
    // A Node built-in reaching the bundle is a bug in renderer/ (docs/architecture.md, import rules).
    external: [],
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  await copyFile(join(ROOT, 'renderer', 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(ROOT, 'renderer', 'styles.css'), join(outDir, 'app.css'));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? DEFAULT_RENDERER_OUT;
  const started = performance.now();
  await buildRenderer({ outDir });
  console.log(`renderer built into ${outDir} in ${Math.round(performance.now() - started)} ms`);
}
