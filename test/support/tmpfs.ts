// Whether this process may mount a tmpfs (it needs root): the tests of a full or
// read-only disk mount small ones, and say once, by file, which tests they skip.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function canMountTmpfs(testFile: string, skipped: string): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'herald-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(`${testFile}: mounting a tmpfs is not allowed here (needs root); ${skipped} are skipped`);
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
