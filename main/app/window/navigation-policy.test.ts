import { describe, expect, it } from 'vitest';
import { decideNavigation } from './navigation-policy.ts';

describe('navigation policy', () => {
  it('opens http and https links in the browser, never in the window', () => {
    expect(decideNavigation('https://example.com/build/42')).toEqual({ action: 'open-external', url: 'https://example.com/build/42' });
    expect(decideNavigation('http://127.0.0.1:8080/')).toEqual({ action: 'open-external', url: 'http://127.0.0.1:8080/' });
  });

  it('drops every other scheme', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'app://herald/index.html',
      'smb://server/share',
      'ms-msdt:/id',
      'vscode://file/x',
      'mailto:a@b.c',
      'not a url',
    ]) {
      expect(decideNavigation(url), url).toEqual({ action: 'deny' });
    }
  });

  it('refuses links carrying credentials', () => {
    expect(decideNavigation('https://user:pw@example.com/')).toEqual({ action: 'deny' });
    expect(decideNavigation('https://user@example.com/')).toEqual({ action: 'deny' });
  });
});
