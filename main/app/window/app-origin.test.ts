import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appUrl, isAppUrl, isTrustedSender } from './app-origin.ts';

const rendererDir = join('/opt/herald/resources/app/dist/renderer');
const trust = { rendererDir };

describe('IPC sender trust', () => {
  it("accepts the app's own window at app://herald/", () => {
    expect(appUrl()).toBe('app://herald/index.html');
    expect(isTrustedSender('app://herald/index.html', trust)).toBe(true);
    expect(isTrustedSender('app://herald/index.html#event=42', trust)).toBe(true);
    expect(isTrustedSender('app://herald/settings/view.html?x=1', trust)).toBe(true);
  });

  it("accepts a file:// page inside the app's renderer folder", () => {
    expect(isTrustedSender(pathToFileURL(join(rendererDir, 'index.html')).href, trust)).toBe(true);
    expect(isTrustedSender(pathToFileURL(join(rendererDir, 'nested/page.html')).href, trust)).toBe(true);
  });

  it('refuses file:// pages outside the renderer folder, and all of them when no folder is trusted', () => {
    expect(isTrustedSender(pathToFileURL('/tmp/evil.html').href, trust)).toBe(false);
    expect(isTrustedSender(pathToFileURL(join(rendererDir, '..', 'renderer-evil', 'index.html')).href, trust)).toBe(false);
    expect(isTrustedSender(pathToFileURL(join(rendererDir, '..', 'main', 'main.js')).href, trust)).toBe(false);
    expect(isTrustedSender(pathToFileURL(rendererDir).href, trust)).toBe(false);
    expect(isTrustedSender('file://fileserver/share/dist/renderer/index.html', trust)).toBe(false);
    expect(isTrustedSender(pathToFileURL(join(rendererDir, 'index.html')).href, { rendererDir: null })).toBe(false);
  });

  it('refuses look-alike origins', () => {
    for (const url of [
      'app://herald.evil.example/index.html',
      'app://evil/index.html',
      'app://herald:8080/index.html',
      'app://user:pass@herald/index.html',
      'apps://herald/index.html',
      'http://herald/index.html',
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'devtools://devtools/bundled/inspector.html',
      'data:text/html,<script>1</script>',
      'about:blank',
    ]) {
      expect(isTrustedSender(url, trust), url).toBe(false);
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('refuses a sender without a frame or URL (destroyed or navigated away)', () => {
    expect(isTrustedSender(null, trust)).toBe(false);
    expect(isTrustedSender(undefined, trust)).toBe(false);
    expect(isTrustedSender('', trust)).toBe(false);
    expect(isTrustedSender('not a url', trust)).toBe(false);
  });
});
