// Throwaway SQLite files for a test file: each in its own temp dir, closed (in reverse
// order of registering) and removed after every test.

import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempSqlite {
  /** A path in a fresh temp dir, removed after the test. */
  file(): string;
  /** Things to close after the test, before their dirs go. */
  readonly closers: Array<() => unknown>;
}

export function tempSqliteFiles(prefix: string): TempSqlite {
  const dirs: string[] = [];
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    file() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return join(dir, 'events.sqlite');
    },
    closers,
  };
}
