// Scope strings and the pattern algebra that narrows a subscription to a scope,
// checked against brute force: over a small alphabet every topic up to a length that
// can tell the patterns apart is enumerated, and what the algebra says is compared
// with what matching each topic says. The whole, over real servers, is in
// test/token-scopes.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternCovers, patternOverlap } from '../protocol/pattern-overlap.ts';
import { compilePattern, patternProblem, topicProblem } from '../protocol/topics.ts';
import { scopedAccess } from './scoped-access.ts';
import { addScope, emptyScopes, formatScopes, parseScopes, ScopeError, scopesFromJson } from './scopes.ts';

/** Every topic of 1 to 5 segments over a, b and x (x appears in no pattern below). */
const UNIVERSE: string[] = (() => {
  const out: string[] = [];
  let level = [''];
  for (let length = 1; length <= 5; length++) {
    level = level.flatMap((prefix) => ['a', 'b', 'x'].map((s) => (prefix ? `${prefix}/${s}` : s)));
    out.push(...level);
  }
  return out;
})();

/** Patterns of up to 3 fixed segments from a, b and *, maybe ending in **. */
const pattern = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '*'), { minLength: 0, maxLength: 3 }), fc.boolean())
  .filter(([fixed, deep]) => fixed.length > 0 || deep)
  .map(([fixed, deep]) => (deep ? [...fixed, '**'] : fixed).join('/'));

const matches = (p: string) => {
  const compiled = compilePattern(p);
  return (topic: string) => compiled.matches(topic);
};

describe('pattern algebra', () => {
  it('covers exactly when every topic of the inner pattern matches the outer', () => {
    fc.assert(
      fc.property(pattern, pattern, (outer, inner) => {
        const [o, i] = [matches(outer), matches(inner)];
        expect(patternCovers(outer, inner)).toBe(UNIVERSE.every((t) => !i(t) || o(t)));
      }),
      { numRuns: 500 },
    );
  });

  it('the overlap matches exactly the topics both match, and is null when they share none', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const overlap = patternOverlap(a, b);
        const both = UNIVERSE.filter((t) => matches(a)(t) && matches(b)(t));
        if (overlap === null) expect(both).toEqual([]);
        else expect(UNIVERSE.filter(matches(overlap))).toEqual(both);
      }),
      { numRuns: 500 },
    );
  });

  it('a subscription narrowed to a scope lets through exactly what both allow', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 3 }), fc.array(pattern, { minLength: 1, maxLength: 3 }), (scope, requested) => {
        const access = scopedAccess({ name: 't', scopes: { ...emptyScopes(), subscribe: scope }, defaultTopic: null });
        const { patterns, refused } = access.narrow(requested);
        for (const p of refused) expect(UNIVERSE.some((t) => matches(p)(t) && scope.some((s) => matches(s)(t)))).toBe(false);
        const kept = requested.filter((p) => !refused.includes(p));
        for (const t of UNIVERSE) {
          const delivered = patterns.some((p) => matches(p)(t));
          expect(delivered).toBe(kept.some((p) => matches(p)(t)) && scope.some((s) => matches(s)(t)));
        }
        // maySubscribe never says yes to a pattern that reaches a topic outside the scope.
        for (const p of requested) {
          if (access.maySubscribe(p)) expect(UNIVERSE.filter(matches(p)).every((t) => scope.some((s) => matches(s)(t)))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('narrows the examples of docs/security.md', () => {
    const ci = scopedAccess({ name: 'ci', scopes: { ...emptyScopes(), subscribe: ['ci/**'] }, defaultTopic: null });
    expect(ci.narrow(['**'])).toEqual({ patterns: ['ci/**'], refused: [] });
    expect(ci.narrow(['*/build'])).toEqual({ patterns: ['ci/build'], refused: [] });
    expect(ci.narrow(['ci/web/*', 'deploy/x'])).toEqual({ patterns: ['ci/web/*'], refused: ['deploy/x'] });
    expect(ci.maySubscribe('ci/web')).toBe(true);
    expect(ci.maySubscribe('ci')).toBe(false);
    expect(ci.maySubscribe('**')).toBe(false);
    expect(ci.maySubscribe('not a pattern')).toBe(false);
    expect(ci.mayPublish('ci/web')).toBe(false);
    expect(ci.mayRunJob('backup')).toBe(false);
  });
});

describe('scope strings', () => {
  it('parses what the CLI flags make, and prints it back', () => {
    const scopes = parseScopes(['publish:ci/*,deploy/**', 'subscribe:ci/**', 'jobs:backup,deploy', 'publish:ci/*']);
    expect(scopes).toEqual({ publish: ['ci/*', 'deploy/**'], subscribe: ['ci/**'], jobs: ['backup', 'deploy'], admin: false });
    expect(parseScopes(formatScopes(scopes))).toEqual(scopes);
    expect(parseScopes(['admin'])).toMatchObject({ admin: true });
  });

  it('refuses what it does not know, saying what was expected', () => {
    expect(() => parseScopes(['read:ci/**'])).toThrow(/expected a scope publish:PATTERNS, subscribe:PATTERNS, jobs:NAMES or admin, got "read:ci\/\*\*"/);
    expect(() => parseScopes(['publish:ci/**/x'])).toThrow(/publish: "\*\*" may only be the last segment/);
    expect(() => parseScopes(['subscribe:a,,b'])).toThrow(/no empty entry/);
    expect(() => parseScopes(['jobs:back up'])).toThrow(/expected a job name/);
    expect(() => parseScopes(['jobs:..'])).toThrow(/other than \. and \.\./);
    expect(() => parseScopes(['jobs:.'])).toThrow(/expected a job name/);
    expect(() => parseScopes(['admin:all'])).toThrow(/expected "admin" alone/);
    expect(() => parseScopes(['publish'])).toThrow(/expected "publish:" followed/);
    expect(() => parseScopes([])).toThrow(/expected at least one scope/);
  });

  it('fuzz: any text either parses to valid scopes or is refused with a ScopeError', () => {
    const piece = fc.oneof(fc.string(), fc.constantFrom('publish:', 'subscribe:', 'jobs:', 'admin', '**', '*', '/', ',', '..', ':'));
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 5 }).map((parts) => parts.join('')), { maxLength: 4 }), (texts) => {
        let scopes;
        try {
          scopes = parseScopes(texts);
        } catch (error) {
          expect(error).toBeInstanceOf(ScopeError);
          expect((error as Error).message).toMatch(/got /);
          return;
        }
        for (const p of [...scopes.publish, ...scopes.subscribe]) expect(patternProblem(p)).toBeNull();
        for (const j of scopes.jobs) expect(j === '*' || topicProblem(j) === null).toBe(true);
        expect(parseScopes(formatScopes(scopes))).toEqual(scopes);
        expect(scopesFromJson(JSON.parse(JSON.stringify(scopes)))).toEqual(scopes);
      }),
      { numRuns: 2000 },
    );
  });

  it('checks scopes read back from storage', () => {
    expect(() => scopesFromJson({ publish: ['ok', 'bad topic'] })).toThrow(ScopeError);
    expect(() => scopesFromJson({ subscribe: 'ci/**' })).toThrow(/expected a list of strings/);
    expect(scopesFromJson({ admin: true })).toEqual({ ...emptyScopes(), admin: true });
    expect(addScope(emptyScopes(), ' admin ')).toMatchObject({ admin: true });
  });
});
