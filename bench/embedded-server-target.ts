// The server as the desktop app runs it: `npm run build`'s bundle of
// main/app/bundled-server/bundled-server-entry.ts (built here with `scripts/build.ts --no-check --out
// DIR`, the same command tests use), started with a per-install token file, default
// sources on. The app runs it in an Electron utilityProcess; plain Node is the nearest
// runtime available here. It differs from `herald serve` run from the sources in what
// Node loads: one bundled JavaScript file instead of TypeScript stripped at load time.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from './server-process.ts';
import type { ServerTarget } from './targets.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BUILD_SCRIPT = path.join(ROOT, 'scripts/build.ts');
const ENTRY = path.join(ROOT, 'main/app/bundled-server/bundled-server-entry.ts');
const BUILD_TIMEOUT_MS = 120_000;

function buildApp(outDir: string): string {
  execFileSync(process.execPath, [BUILD_SCRIPT, '--no-check', '--out', outDir], { cwd: ROOT, stdio: 'pipe', timeout: BUILD_TIMEOUT_MS });
  const bundle = path.join(outDir, 'server', 'herald-server.js');
  if (!existsSync(bundle)) throw new Error(`scripts/build.ts --out ${outDir} wrote no server/herald-server.js`);
  return bundle;
}

export const HERALD_EMBEDDED: ServerTarget = {
  name: 'herald-embedded',
  label: 'Herald embedded (bundled)',
  unavailable: () =>
    existsSync(BUILD_SCRIPT) && existsSync(ENTRY) ? null : 'scripts/build.ts or main/app/bundled-server/bundled-server-entry.ts does not exist yet',
  async start(options) {
    const bundle = buildApp(path.join(options.workDir, 'dist'));
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
