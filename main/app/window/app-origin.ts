// Where the history window's pages come from, and which frames IPC trusts.
// The window is served from a privileged custom scheme (app://herald/) rather than
// file:// (Electron security checklist, item 18 "Avoid usage of the file:// protocol
// and prefer usage of custom protocols"): file:// pages can read any file the user
// can, and we could not send a CSP header with them.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'herald';

/** The URL of a page of the window, e.g. `app://herald/index.html`. */
export function appUrl(path = 'index.html'): string {
  return `${APP_SCHEME}://${APP_HOST}/${path.replace(/^\/+/, '')}`;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app's own origin: scheme app, host herald, no port or credentials. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export interface SenderTrust {
  /**
   * The folder of the built window (dist/renderer): a file:// page inside it is the
   * app's own too (a window loaded from disk). Null trusts no file:// page.
   */
  rendererDir: string | null;
}

/**
 * Whether an IPC message from a frame at `frameUrl` comes from the app's own window.
 * Electron security checklist, item 17 "Validate the sender of all IPC messages":
 * any frame, including a navigated or embedded one, can send IPC, so each handler
 * asks this about `event.senderFrame.url`. A missing frame (it was destroyed or
 * navigated away) is not trusted.
 */
export function isTrustedSender(frameUrl: string | null | undefined, trust: SenderTrust): boolean {
  if (typeof frameUrl !== 'string' || frameUrl === '') return false;
  if (isAppUrl(frameUrl)) return true;
  const parsed = parse(frameUrl);
  if (parsed === null || parsed.protocol !== 'file:' || trust.rendererDir === null) return false;
  // A file URL with a host (file://server/share) is a network path, never ours.
  if (parsed.host !== '') return false;
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const inside = relative(trust.rendererDir, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}
