// Turns Stryker's JSON report (mutation-testing-report-schema) into the mutation
// table of bench/results/mutation.md. Results are kept per module in
// bench/results/mutation.json, so a run of one module (`--mutate a.ts`) replaces that
// module's row and keeps the others. Surviving mutants are listed with file:line;
// those that change nothing observable are matched against equivalent-mutants.json
// (file, mutator, original and replacement code) and shown with its reason.

export type MutantStatus = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

/** The part of Stryker's JSON report this reads. */
export interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
}

export interface StrykerMutant {
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  /** Why, for some statuses: an ignored static mutant says 'Static mutant (and "ignoreStatic" was enabled)'. */
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** A mutant the tests did not kill, as stored and listed. */
export interface Survivor {
  line: number;
  mutator: string;
  /** The mutated code, collapsed to one line and cut at ORIGINAL_CHARS. */
  original: string;
  replacement: string;
  status: 'Survived' | 'NoCoverage';
}

export interface ModuleResult {
  file: string;
  /** Day of the run, YYYY-MM-DD. */
  ranOn: string;
  mutants: number;
  /** Killed or timed out (a mutant that loops forever is caught too). */
  killed: number;
  survived: number;
  noCoverage: number;
  /** Mutants that do not compile or crash at load: not counted in the score. */
  errors: number;
  /**
   * Static mutants a run left out (`--ignoreStatic`): not in the score. Absent in rows
   * stored before this was recorded.
   */
  staticLeftOut?: number;
  /**
   * The test globs of a narrowed run (HERALD_MUTATION_TESTS); absent when the run used
   * the whole mutation test set.
   */
  testSet?: string[];
  survivors: Survivor[];
}

export interface EquivalentMutant {
  file: string;
  /** Where it was when written down; only breaks ties between identical mutants. */
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  reason: string;
}

const ORIGINAL_CHARS = 80;

function oneLine(code: string): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat.length > ORIGINAL_CHARS ? `${flat.slice(0, ORIGINAL_CHARS - 1)}…` : flat;
}

/** The source text a location covers (Stryker's lines and columns start at 1). */
function codeAt(source: string, location: StrykerMutant['location']): string {
  const lines = source.split('\n');
  const { start, end } = location;
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const first = (lines[start.line - 1] ?? '').slice(start.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1);
  return [first, ...middle, last].join('\n');
}

const isLeftOutStatic = (m: StrykerMutant) => m.status === 'Ignored' && /^Static mutant/.test(m.statusReason ?? '');

/** One ModuleResult per file of a Stryker report; `testSet` the globs of a narrowed run. */
export function modulesOf(report: StrykerReport, ranOn: string, testSet?: readonly string[]): ModuleResult[] {
  return Object.entries(report.files)
    .map(([file, { source, mutants }]) => {
      const count = (...statuses: MutantStatus[]) => mutants.filter((m) => statuses.includes(m.status)).length;
      const survivors = mutants
        .filter((m): m is StrykerMutant & { status: Survivor['status'] } => m.status === 'Survived' || m.status === 'NoCoverage')
        .map((m) => ({
          line: m.location.start.line,
          mutator: m.mutatorName,
          original: oneLine(codeAt(source, m.location)),
          replacement: oneLine(m.replacement ?? ''),
          status: m.status,
        }))
        .sort((a, b) => a.line - b.line || a.mutator.localeCompare(b.mutator));
      return {
        file: file.split('\\').join('/'),
        ranOn,
        mutants: mutants.filter((m) => m.status !== 'Ignored' && m.status !== 'Pending').length,
        killed: count('Killed', 'Timeout'),
        survived: count('Survived'),
        noCoverage: count('NoCoverage'),
        errors: count('CompileError', 'RuntimeError'),
        staticLeftOut: mutants.filter(isLeftOutStatic).length,
        ...(testSet?.length ? { testSet: [...testSet] } : {}),
        survivors,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * A module most of whose mutants errored did not really run: a worker killed or
 * crashed marks every mutant it still had as a RuntimeError. Its row would show a score
 * over the few that ran, so it is not stored.
 */
export function ranBroken(module: ModuleResult): boolean {
  return module.errors > 0 && module.errors >= module.killed + module.survived + module.noCoverage;
}

/** The stored modules with this run's modules replacing theirs. */
export function mergeModules(stored: readonly ModuleResult[], fresh: readonly ModuleResult[]): ModuleResult[] {
  const byFile = new Map(stored.map((m) => [m.file, m]));
  for (const m of fresh) byFile.set(m.file, m);
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/** For each survivor of `module`, the equivalent-mutant entry that explains it, if any. */
export function explain(module: ModuleResult, equivalents: readonly EquivalentMutant[]): Array<EquivalentMutant | undefined> {
  const entries = equivalents.filter((e) => e.file === module.file);
  // Every (survivor, entry) pair with the same code, nearest lines paired first.
  const pairs = module.survivors.flatMap((s, i) =>
    entries
      .filter((e) => e.mutator === s.mutator && oneLine(e.original) === s.original && oneLine(e.replacement) === s.replacement)
      .map((e) => ({ i, e, distance: Math.abs(e.line - s.line) })),
  );
  const reasons: Array<EquivalentMutant | undefined> = module.survivors.map(() => undefined);
  const used = new Set<EquivalentMutant>();
  for (const { i, e } of pairs.sort((a, b) => a.distance - b.distance)) {
    if (reasons[i] !== undefined || used.has(e)) continue;
    reasons[i] = e;
    used.add(e);
  }
  return reasons;
}

/** Entries of equivalent-mutants.json that match no survivor any more (killed, or the code changed). */
export function staleEquivalents(modules: readonly ModuleResult[], equivalents: readonly EquivalentMutant[]): EquivalentMutant[] {
  const used = new Set(modules.flatMap((m) => explain(m, equivalents)).filter((e) => e !== undefined));
  const covered = new Set(modules.map((m) => m.file));
  return equivalents.filter((e) => covered.has(e.file) && !used.has(e));
}

/** Killed share of the mutants that ran, in percent; null when none did. */
export function score(killed: number, of: number): number | null {
  return of > 0 ? (100 * killed) / of : null;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}%`;
}

function code(text: string): string {
  return text === '' ? '(empty)' : `\`${text.replace(/`/g, "'")}\``;
}

/** The generated part of mutation.md: the per-module table and every survivor. */
export function mutationMarkdown(modules: readonly ModuleResult[], equivalents: readonly EquivalentMutant[]): string {
  const rows = modules.map((m) => {
    const reasons = explain(m, equivalents);
    const equivalent = reasons.filter((r) => r !== undefined).length;
    const counted = m.killed + m.survived + m.noCoverage;
    return {
      m,
      reasons,
      equivalent,
      cells: [
        m.file,
        m.mutants,
        m.killed,
        m.survived,
        m.noCoverage,
        equivalent,
        percent(score(m.killed, counted)),
        percent(score(m.killed, counted - equivalent)),
        m.staticLeftOut ?? 'not recorded',
        m.testSet ? `narrowed${NARROWED_MARK}` : 'all',
        m.ranOn,
      ],
    };
  });
  const out = [
    '| module | mutants | killed | survived | no coverage | equivalent | score | score, equivalents set aside | static left out | tests | run on |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.cells.join(' | ')} |`),
    '',
    'killed includes timeouts; mutants that do not compile are not counted; equivalent counts the',
    'survivors listed below with a reason. static left out: static mutants (module-level',
    'constants) a run left out with `--ignoreStatic`, not in the score. tests: the whole',
    'mutation test set, or a narrowed one (HERALD_MUTATION_TESTS), which can only kill fewer.',
    '',
    ...narrowedSets(modules),
    '### Surviving mutants',
    '',
  ];
  const withSurvivors = rows.filter((r) => r.m.survivors.length > 0);
  if (withSurvivors.length === 0) out.push('None.', '');
  for (const { m, reasons } of withSurvivors) {
    out.push(`#### ${m.file}`, '');
    m.survivors.forEach((s, i) => {
      const where = `${m.file}:${s.line}`;
      const what = `${s.mutator} ${code(s.original)} -> ${code(s.replacement)}${s.status === 'NoCoverage' ? ' (no test reaches it)' : ''}`;
      const reason = reasons[i];
      out.push(`- ${where} ${what}: ${reason ? `equivalent: ${reason.reason}` : '**not explained**'}`);
    });
    out.push('');
  }
  return out.join('\n');
}

const NARROWED_MARK = ' (below)';

function narrowedSets(modules: readonly ModuleResult[]): string[] {
  const narrowed = modules.filter((m) => m.testSet);
  if (narrowed.length === 0) return [];
  return ['Narrowed test sets:', '', ...narrowed.map((m) => `- ${m.file}: ${m.testSet!.map((g) => `\`${g}\``).join(', ')}`), ''];
}

export const GENERATED_START = '<!-- mutation table: generated by npm run test:mutation, edit above or below -->';
export const GENERATED_END = '<!-- end of generated mutation table -->';

/** `document` with its generated part replaced by `generated` (appended when it has none). */
export function replaceGenerated(document: string, generated: string): string {
  const block = `${GENERATED_START}\n${generated.trimEnd()}\n${GENERATED_END}`;
  const start = document.indexOf(GENERATED_START);
  const end = document.indexOf(GENERATED_END);
  if (start === -1 || end < start) return `${document.trimEnd()}\n\n${block}\n`;
  return `${document.slice(0, start)}${block}${document.slice(end + GENERATED_END.length)}`;
}
