// The import rules of docs/architecture.md ("Import rules"), checked over the import
// statements of every source file, type-only imports included. Each rule is a
// function of the import graph, so the checks below also run it on a small graph
// that breaks it: a rule that cannot fail would pass here too.

import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importsOf, type ImportGraph } from './support/import-graph.ts';

/**
 * The modules every side may import, the renderer included: free of Node, Electron
 * and packages. The settings schema and its validator still live in main/core/settings
 * beside the Node-only settings store, the text guard and the CSV writer beside the
 * desktop core that uses them most; they are listed one by one.
 */
const SHARED = [
  'server/protocol/',
  'main/ipc/',
  'main/core/settings/settings-schema.ts',
  'main/core/settings/settings-validator.ts',
  'main/core/text/safe-text.ts',
  'main/core/history/csv.ts',
];

const isShared = (file: string) => SHARED.some((s) => file === s || (s.endsWith('/') && file.startsWith(s)));
const isTest = (file: string) => file.endsWith('.test.ts') || file.startsWith('test/');
const isSource = (file: string) => /^(server|main|renderer)\//.test(file);

/** Import statements (as `file imports spec`) of the files of `graph`, packages included. */
type Imports = Map<string, string[]>;

function allImports(graph: ImportGraph): Imports {
  return new Map([...graph.keys()].map((file) => [file, importsOf(file)]));
}

function offending(imports: Imports, files: (file: string) => boolean, forbidden: (spec: string, file: string) => boolean): string[] {
  return [...imports].filter(([file]) => files(file)).flatMap(([file, specs]) => specs.filter((s) => forbidden(s, file)).map((s) => `${file} imports ${s}`));
}

const rules = {
  noCycles(graph: ImportGraph): string[] {
    return importCycles(graph).map((cycle) => cycle.join(' -> '));
  },

  serverImportsNoDesktop(imports: Imports): string[] {
    return offending(imports, (f) => f.startsWith('server/'), (s) => s.startsWith('main/') || s.startsWith('renderer/'));
  },

  electronOnlyInAdapters(imports: Imports): string[] {
    const allowed = (file: string) => file.startsWith('main/electron/') || file === 'main/preload.ts';
    return offending(imports, (f) => isSource(f) && !allowed(f), (s) => s === 'electron' || s.startsWith('electron/'));
  },

  /** Shared modules import only shared modules: no Node built-in, no package, nothing of one side. */
  sharedIsNodeFree(imports: Imports): string[] {
    return offending(imports, (f) => isShared(f) && !isTest(f), (s) => !isShared(s));
  },

  /** The renderer's shipped files import the renderer and shared modules, nothing else. */
  rendererImportsOnlyShared(imports: Imports): string[] {
    const shipped = (f: string) => f.startsWith('renderer/') && !isTest(f);
    return offending(imports, shipped, (s) => !s.startsWith('renderer/') && !isShared(s));
  },

  /** A file of server/, main/ or renderer/ that only tests import is a test helper: test/support/ holds those. */
  noTestHelpersInSource(graph: ImportGraph): string[] {
    const importers = new Map<string, string[]>();
    for (const [file, deps] of graph) for (const dep of deps) importers.set(dep, [...(importers.get(dep) ?? []), file]);
    return [...importers]
      .filter(([file, by]) => isSource(file) && !isTest(file) && by.every(isTest))
      .map(([file, by]) => `${file} is imported only by tests (${by.join(', ')})`);
  },
};

const graph = importGraph();
const imports = allImports(graph);

describe('import rules', () => {
  it('reads the imports it checks (the scan itself works)', () => {
    expect(importsOf('server/app.ts')).toContain('server/plugin.ts');
    expect(importsOf('server/app.ts')).toContain('node:http');
    expect(graph.get('server/app.ts')).toContain('server/hub/hub.ts');
    expect(graph.size).toBeGreaterThan(300);
  });

  it('no import cycles, anywhere in the tree', () => {
    expect(rules.noCycles(graph)).toEqual([]);
  });

  it('server/ imports nothing of main/ or renderer/', () => {
    expect(rules.serverImportsNoDesktop(imports)).toEqual([]);
  });

  it('only main/electron/ and the preload import electron', () => {
    expect(rules.electronOnlyInAdapters(imports)).toEqual([]);
  });

  it('the shared modules are free of Node, Electron, packages and either side', () => {
    expect(rules.sharedIsNodeFree(imports)).toEqual([]);
  });

  it('the renderer imports only itself and the shared modules', () => {
    expect(rules.rendererImportsOnlyShared(imports)).toEqual([]);
  });

  it('test helpers live in test/support/, not in source folders', () => {
    expect(rules.noTestHelpersInSource(graph)).toEqual([]);
  });
});

describe('each rule fails when broken', () => {
  const broken = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('a cycle, reported as its path', () => {
    const cyclic = broken({ 'server/a.ts': ['server/b.ts'], 'server/b.ts': ['server/c.ts'], 'server/c.ts': ['server/a.ts'], 'server/d.ts': ['server/a.ts'] });
    expect(rules.noCycles(cyclic)).toEqual(['server/a.ts -> server/b.ts -> server/c.ts -> server/a.ts']);
    expect(rules.noCycles(broken({ 'server/a.ts': ['server/a.ts'] }))).toEqual(['server/a.ts -> server/a.ts']);
  });

  it('the server importing the desktop', () => {
    expect(rules.serverImportsNoDesktop(broken({ 'server/hub/hub.ts': ['main/core/clock.ts', 'server/protocol/events.ts'] }))).toEqual([
      'server/hub/hub.ts imports main/core/clock.ts',
    ]);
  });

  it('electron outside its adapters', () => {
    expect(rules.electronOnlyInAdapters(broken({ 'main/shell/tray.ts': ['electron'], 'main/electron/tray.ts': ['electron'] }))).toEqual([
      'main/shell/tray.ts imports electron',
    ]);
  });

  it('a shared module importing Node, a package or one side', () => {
    const specs = ['node:fs', 'eventsource', 'server/core/publisher.ts', 'server/protocol/events.ts'];
    expect(rules.sharedIsNodeFree(broken({ 'server/protocol/x.ts': specs }))).toEqual([
      'server/protocol/x.ts imports node:fs',
      'server/protocol/x.ts imports eventsource',
      'server/protocol/x.ts imports server/core/publisher.ts',
    ]);
  });

  it('the renderer importing Node, a package or an unshared module', () => {
    const specs = ['node:path', 'eventsource', 'main/core/settings/settings-store.ts', 'main/ipc/bridge.ts', 'renderer/app.ts'];
    expect(rules.rendererImportsOnlyShared(broken({ 'renderer/view/x.ts': specs, 'renderer/view/x.test.ts': ['node:path'] }))).toEqual([
      'renderer/view/x.ts imports node:path',
      'renderer/view/x.ts imports eventsource',
      'renderer/view/x.ts imports main/core/settings/settings-store.ts',
    ]);
  });

  it('a test helper in a source folder', () => {
    const helpers = broken({
      'server/sources/system.test.ts': ['server/sources/fake-clock.ts', 'server/sources/system.ts'],
      'server/sources/index.ts': ['server/sources/system.ts'],
    });
    expect(rules.noTestHelpersInSource(helpers)).toEqual(['server/sources/fake-clock.ts is imported only by tests (server/sources/system.test.ts)']);
  });
});
