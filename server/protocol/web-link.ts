// Which addresses from a publisher may become a link: a plain http(s) address without
// credentials. Everything else (javascript:, data:, file:, custom protocol handlers that
// could launch programs, user:password@ addresses) is refused. One rule for the history
// window's navigation, a notification's click and the links a message card draws
// (docs/security.md).
//
// Pure: no Node API, so the renderer can use it too.

/** The normalised address when `url` is a plain http(s) link without credentials; null otherwise. */
export function webLink(url: string): string | null {
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
