// The one rule for which publisher addresses may become links (docs/security.md).

import { describe, expect, it } from 'vitest';
import { webLink } from './web-link.ts';

describe('webLink', () => {
  it('accepts plain http and https addresses, normalised', () => {
    expect(webLink('http://example.com')).toBe('http://example.com/');
    expect(webLink('HTTPS://Example.COM/a b?q=1#f')).toBe('https://example.com/a%20b?q=1#f');
  });

  it('refuses other schemes, including ones that could launch programs', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'ftp://example.com/', 'vscode://file/x', 'mailto:a@example.com']) {
      expect(webLink(url), url).toBeNull();
    }
  });

  it('refuses addresses with a user name, a password or both', () => {
    expect(webLink('https://user@example.com/')).toBeNull();
    expect(webLink('https://:secret@example.com/')).toBeNull();
    expect(webLink('https://user:secret@example.com/')).toBeNull();
  });

  it('refuses what is not an absolute address', () => {
    for (const url of ['', 'example.com', '/relative/path', 'http://', 'https://exa mple.com']) {
      expect(webLink(url), url).toBeNull();
    }
  });
});
