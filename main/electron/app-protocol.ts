// The app:// scheme the history window is served from (main/shell/app-origin.ts says
// why not file://). Registered as privileged before `ready` (Electron docs,
// protocol.registerSchemesAsPrivileged: "can only be used before the ready event"),
// handled after it by the Electron-free handler in main/shell/app-protocol.ts.
import { protocol, session } from 'electron';
import { APP_SCHEME } from '../app/window/app-origin.ts';
import { createAppRequestHandler } from '../app/window/app-protocol.ts';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: real origins and relative URLs; secure: a secure context like https.
    // No bypassCSP: the window's CSP applies.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveApp(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
  // The window needs no permission at all (notifications are raised by main, not the
  // page): Electron security checklist, item 5 "Handle session permission requests
  // from remote content".
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
