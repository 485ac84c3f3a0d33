// What the history window may navigate to. Electron security checklist, items 13
// "Disable or limit navigation", 14 "Disable or limit creation of new windows" and
// 15 "Do not use shell.openExternal with untrusted content": the window never leaves
// its page and never opens a window; a link to an http(s) page opens in the user's
// browser, and any other scheme (file:, javascript:, custom protocol handlers that
// could launch programs) is dropped.

import { webLink } from '../../../server/protocol/web-link.ts';

export type NavigationDecision = { action: 'deny' } | { action: 'open-external'; url: string };

/** Decide for `will-navigate`, `will-redirect` and `setWindowOpenHandler` alike: the window itself never goes. */
export function decideNavigation(url: string): NavigationDecision {
  const external = webLink(url);
  return external === null ? { action: 'deny' } : { action: 'open-external', url: external };
}
