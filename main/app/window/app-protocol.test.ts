import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppRequestHandler, resolveAppFile } from './app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';

let root: string;
let rendererDir: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'herald-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Herald</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not for the window');
  handle = createAppRequestHandler(rendererDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the window with its CSP and the right content type', async () => {
    const response = await handle(new Request('app://herald/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Herald</title>');
  });

  it('serves index.html for the root and scripts as JavaScript', async () => {
    expect(await (await handle(new Request('app://herald/'))).text()).toContain('Herald');
    const script = await handle(new Request('app://herald/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of ['app://herald/../secret.txt', 'app://herald/%2e%2e/secret.txt', 'app://herald/assets/..%2f..%2fsecret.txt', 'app://herald/%00']) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for the window');
    }
    expect(resolveAppFile(rendererDir, '/..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(rendererDir, '/%E0%A4%A')).toBeNull();
  });

  it('answers 404 for a missing file and another host, 405 for other methods', async () => {
    expect((await handle(new Request('app://herald/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://herald/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('content security policy', () => {
  it('allows only the app itself and no network', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
