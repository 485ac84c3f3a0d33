// What the history window may navigate to. Electron security checklist, items 13
// "Disable or limit navigation", 14 "Disable or limit creation of new windows" and
// 15 "Do not use shell.openExternal with untrusted content": the window never leaves
// its page and never opens a window; a link to an http(s) page opens in the user's
// browser, and any other scheme (file:, javascript:, custom protocol handlers that
// could launch programs) is dropped.

export type NavigationDecision = { action: 'deny' } | { action: 'open-external'; url: string };

/** The URL to hand to the browser when `url` is a plain http(s) link; null otherwise. */
export function externalLink(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/** Decide for `will-navigate`, `will-redirect` and `setWindowOpenHandler` alike: the window itself never goes. */
export function decideNavigation(url: string): NavigationDecision {
  const external = externalLink(url);
  return external === null ? { action: 'deny' } : { action: 'open-external', url: external };
}
