import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateInstallToken } from './install-token.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-token-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const posix = process.platform !== 'win32';

describe('install token', () => {
  it('creates a random token in a file only the user can read', () => {
    const file = join(dir, 'nested', 'server-token');
    const token = loadOrCreateInstallToken(file);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'nested')).mode & 0o077).toBe(0);
    }
  });

  it('keeps the same token across starts, and differs between installs', () => {
    const file = join(dir, 'server-token');
    const token = loadOrCreateInstallToken(file);
    expect(loadOrCreateInstallToken(file)).toBe(token);
    expect(loadOrCreateInstallToken(join(dir, 'other-install'))).not.toBe(token);
  });

  it('tightens a token file that others could read', () => {
    if (!posix) return;
    const file = join(dir, 'server-token');
    const token = loadOrCreateInstallToken(file);
    chmodSync(file, 0o644);
    expect(loadOrCreateInstallToken(file)).toBe(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces a damaged token file with a fresh token, private again', () => {
    const file = join(dir, 'server-token');
    writeFileSync(file, 'short', { mode: 0o644 });
    const token = loadOrCreateInstallToken(file, (size) => Buffer.alloc(size, 7));
    expect(token).toBe(Buffer.alloc(32, 7).toString('base64url'));
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
