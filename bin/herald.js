#!/usr/bin/env node
// The `herald` command. Node 24 runs the TypeScript sources directly (type
// stripping); Node 22.12-22.17 needs the flag, so re-run with it there.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../main/cli/main.ts', import.meta.url));

if (process.features.typescript) {
  await import(entry);
} else {
  const result = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', entry, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
