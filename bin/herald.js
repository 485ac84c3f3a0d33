#!/usr/bin/env node
// The `herald` command. First the Node.js version check (plain CommonJS, evaluated
// before anything else here): an old Node.js gets one line saying what it needs, not
// a stack trace. Node 24 runs the TypeScript sources directly (type stripping); a
// Node run with type stripping turned off is re-run with it on. No top-level await
// here, so even a Node.js too old for that reaches the check.
import './check-node.cjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../main/cli/main.ts', import.meta.url));

if (process.features.typescript) {
  import(entry);
} else {
  const result = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', entry, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
