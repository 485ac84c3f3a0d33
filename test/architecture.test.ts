// The import rules of docs/architecture.md ("Import rules"), checked over the import
// statements of every source file: server/ imports nothing of main/ or renderer/;
// only main/electron/ and the preload import Electron (importing it under plain Node
// throws); the renderer imports no Node built-in.

import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from './support/import-graph.ts';

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
