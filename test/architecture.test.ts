// The dependency arrows of shared/DESIGN.md, checked over the import statements of
// every source file: server/ imports nothing of main/ or renderer/; only
// main/electron/ and the preload import Electron (importing it under plain Node
// throws); the renderer imports no Node built-in.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Each import of `file`, resolved to a path from the repo root when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    return spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec;
  });
}

function violations(dirs: string[], forbidden: (spec: string, file: string) => boolean): string[] {
  return dirs.flatMap(sourceFiles).flatMap((file) => importsOf(file).filter((s) => forbidden(s, file)).map((s) => `${file} imports ${s}`));
}

describe('dependency arrows', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    expect(importsOf('main/cli/commands.ts')).toContain('server/cli/commands.ts');
  });

  it('server/ imports nothing of main/ or renderer/', () => {
    expect(violations(['server'], (s) => s.startsWith('main/') || s.startsWith('renderer/'))).toEqual([]);
  });

  it('only main/electron/ and the preload import electron', () => {
    const allowed = (file: string) => file.startsWith('main/electron/') || file === 'main/preload.ts';
    expect(violations(['server', 'main', 'renderer'], (s, file) => s === 'electron' && !allowed(file))).toEqual([]);
  });

  it('the renderer imports no Node built-in and nothing of the server but its protocol', () => {
    const shipped = (file: string) => !file.endsWith('.test.ts');
    expect(
      violations(['renderer'], (s, file) => shipped(file) && (s.startsWith('node:') || (s.startsWith('server/') && !s.startsWith('server/protocol/')))),
    ).toEqual([]);
  });
});
