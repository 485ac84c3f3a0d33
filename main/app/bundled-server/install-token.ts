// The bundled server's bearer token: random per install, kept in a file only the user
// can read (mode 0600, in a 0700 folder), created once and reused so that scripts the
// user points at the bundled server keep working across restarts. On Windows the mode
// bits do not apply; the file lives in the user's profile, which other users cannot
// read by default.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** 32 random bytes as base64url: 43 characters, safe in a header and in a URL. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const TOKEN_FILE_MODE = 0o600;

export function newToken(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

function readExisting(file: string): string | null {
  try {
    const token = readFileSync(file, 'utf8').trim();
    return TOKEN_SHAPE.test(token) ? token : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The install's token from `file`, created on first use; a damaged file is replaced. */
export function loadOrCreateInstallToken(file: string, random?: (size: number) => Buffer): string {
  const existing = readExisting(file);
  if (existing !== null) {
    // Tighten a file someone loosened (a copy, a restore from backup).
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, TOKEN_FILE_MODE);
    return existing;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const token = newToken(random);
  writeFileSync(file, `${token}\n`, { mode: TOKEN_FILE_MODE });
  // writeFileSync's mode applies only when it creates the file; a damaged file we
  // overwrite keeps its old mode unless we set it.
  if (process.platform !== 'win32') chmodSync(file, TOKEN_FILE_MODE);
  return token;
}
