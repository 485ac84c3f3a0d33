// Where the app's bundled server listens, for scripts on the same machine: the
// server picks a free port at each launch, so `herald publish` / `run` / `watch`
// could not find it otherwise. The running server writes `server-address.json`
// ({url, pid}, mode 0600) beside the install token and removes it when it stops; a
// file left by a crash names a dead pid and is ignored.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundledServerPaths } from './bundled-server-plan.ts';

export interface BundledServerAddress {
  url: string;
  pid: number;
}

export function addressFileBeside(tokenFile: string): string {
  return join(dirname(tokenFile), 'server-address.json');
}

export function writeBundledServerAddress(file: string, address: BundledServerAddress): void {
  writeFileSync(file, `${JSON.stringify(address)}\n`, { mode: 0o600 });
}

/** Remove the file if it still names this process (a newer server may have replaced it). */
export function removeBundledServerAddress(file: string, pid: number = process.pid): void {
  if (readAddress(file)?.pid === pid) rmSync(file, { force: true });
}

function readAddress(file: string): BundledServerAddress | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<BundledServerAddress>;
    if (typeof value.url !== 'string' || !Number.isInteger(value.pid)) return null;
    return { url: value.url, pid: value.pid! };
  } catch {
    return null;
  }
}

/** Signal 0 only asks whether the pid exists; EPERM (another user's process) is not our server either. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running bundled server of the app whose data is in `userData`, with its token, or null. */
export function runningBundledServer(userData: string): { url: string; token: string } | null {
  const { tokenFile } = bundledServerPaths(userData);
  const address = readAddress(addressFileBeside(tokenFile));
  if (address === null || !isAlive(address.pid)) return null;
  try {
    return { url: address.url, token: readFileSync(tokenFile, 'utf8').trim() };
  } catch {
    return null;
  }
}
