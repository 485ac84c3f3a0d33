// The server as the desktop app runs it: main/shell/bundled-server-entry.ts bundled by
// esbuild exactly as scripts/build.ts bundles it for the app (its exported BUNDLES.server
// options), started with a per-install token file, default sources on. The app runs it
// in an Electron utilityProcess; plain Node is the nearest runtime available here. It
// differs from `herald serve` run from the sources in what Node loads: one bundled
// JavaScript file instead of TypeScript stripped at load time.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from './server-process.ts';
import type { ServerTarget } from './targets.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BUILD_SCRIPT = path.join(ROOT, 'scripts/build.ts');
const ENTRY = path.join(ROOT, 'main/shell/bundled-server-entry.ts');

interface BuildModule {
  BUNDLES: { server: Record<string, unknown> };
}

async function bundleServer(outDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const { BUNDLES } = (await import(BUILD_SCRIPT)) as BuildModule;
  const outfile = path.join(outDir, 'server', 'herald-server.js');
  await esbuild.build({ bundle: true, logLevel: 'warning', legalComments: 'none', ...BUNDLES.server, outfile });
  // The server reads its version from the package.json above its folder, as in dist/.
  writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ name: 'herald', version: '0.0.0-bench', type: 'module' }));
  return outfile;
}

export const HERALD_EMBEDDED: ServerTarget = {
  name: 'herald-embedded',
  label: 'Herald embedded (bundled)',
  unavailable: () =>
    existsSync(BUILD_SCRIPT) && existsSync(ENTRY) ? null : 'scripts/build.ts or main/shell/bundled-server-entry.ts does not exist yet',
  async start(options) {
    const bundle = await bundleServer(path.join(options.workDir, 'dist'));
    const dataDir = path.join(options.workDir, 'embedded-data');
    mkdirSync(dataDir, { recursive: true });
    return ServerProcess.start({
      name: 'Herald embedded',
      command: process.execPath,
      args: [
        ...(options.nodeArgs ?? []),
        bundle,
        '--token-file',
        path.join(options.workDir, 'install-token'),
        '--port',
        '0',
        '--data-dir',
        dataDir,
        ...(options.serverArgs ?? []),
      ],
      cwd: options.workDir,
    });
  },
};
