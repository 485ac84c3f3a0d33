// The docs' links, checked the way GitHub renders them: every relative link in
// README.md, docs/*.md and bench/README.md names a file or folder inside the
// repository that exists, and every `#anchor` (in the same page or another) names a
// heading of its target by GitHub's slug. Links in code (fenced or inline) are text,
// not links, and external URLs are not fetched.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** The pages whose links are checked, relative to `root`. */
function docPages(root: string): string[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
  return ['README.md', ...docs.sort(), 'bench/README.md'].filter((f) => existsSync(join(root, f)));
}

/** The page's lines, with fenced code blocks as null (line numbers stay right). */
function linesOutsideFences(text: string): (string | null)[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker !== undefined && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      return null;
    }
    return fence === null ? line : null;
  });
}

/** GitHub's heading slug (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading shows its text
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor the page's headings get, numbered as GitHub numbers repeated headings. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of linesOutsideFences(text)) {
    const heading = line === null ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every problem with the relative links of the pages under `root`, one line each. */
function brokenLinks(root: string): string[] {
  const problems: string[] = [];
  for (const page of docPages(root)) {
    const text = readFileSync(join(root, page), 'utf8');
    linesOutsideFences(text).forEach((line, index) => {
      if (line === null) return;
      const prose = line.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length)); // inline code is not a link
      for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const where = `${page} (line ${index + 1}): ${target}`;
        const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
        const file = pathPart === '' ? join(root, page) : resolve(root, dirname(page), decodeURIComponent(pathPart));
        if (relative(root, file).startsWith('..')) {
          problems.push(`${where}: points outside the repository`);
          continue;
        }
        if (!existsSync(file)) {
          problems.push(`${where}: ${relative(root, file)} does not exist`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!file.endsWith('.md')) {
          problems.push(`${where}: an anchor into ${relative(root, file)}, which has no headings`);
          continue;
        }
        const anchors = anchorsOf(readFileSync(file, 'utf8'));
        if (!anchors.has(anchor)) {
          problems.push(`${where}: no heading "#${anchor}" in ${relative(root, file)} (it has: ${[...anchors].join(', ')})`);
        }
      }
    });
  }
  return problems;
}

describe('documentation links', () => {
  it('checks the README, every docs page and the benchmark README', () => {
    const pages = docPages(ROOT);
    expect(pages).toContain('README.md');
    expect(pages).toContain('bench/README.md');
    expect(pages).toContain('docs/cli.md');
  });

  it('every relative link resolves to a file, and every anchor to a heading', () => {
    expect(brokenLinks(ROOT)).toEqual([]);
  });
});

describe('the link checker itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-docs-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function page(path: string, text: string): void {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }

  it('makes GitHub slugs', () => {
    expect(slug('`herald run`: tell me when this command is done')).toBe('herald-run-tell-me-when-this-command-is-done');
    expect(slug('`jobs`: commands on request, on topics `job/<name>/<run>`')).toBe('jobs-commands-on-request-on-topics-jobnamerun');
    expect(slug('Desktop core: history, resume points, settings')).toBe('desktop-core-history-resume-points-settings');
    expect(slug('CPU under the 2,000 x 40/s fan-out')).toBe('cpu-under-the-2000-x-40s-fan-out');
  });

  it('reports a missing file, a missing anchor in the same and in another page, and a link out of the tree; not links in code', () => {
    page(
      'README.md',
      [
        '# Title',
        '## Two words',
        '## Two words',
        'Fine: [a](#two-words), [b](#two-words-1), [c](docs/a.md#a-heading), [d](LICENSE), [e](https://example.com/x#y).',
        'Broken: [f](#nowhere), [g](docs/missing.md), [h](docs/a.md#not-there), [i](../outside.md), [j](LICENSE#x).',
        'In code: `[k](#also-nowhere)`',
        '```',
        '[l](#in-a-fence)',
        '```',
        'After the fence: [m](#after)',
      ].join('\n'),
    );
    page('LICENSE', 'MIT');
    page('docs/a.md', '# A heading\n\nBack to [the top](../README.md#title).\n');
    const problems = brokenLinks(dir);
    expect(problems.map((p) => p.split(': ')[1])).toEqual(['#nowhere', 'docs/missing.md', 'docs/a.md#not-there', '../outside.md', 'LICENSE#x', '#after']);
    expect(problems[0]).toContain('README.md (line 5)');
    expect(problems[5]).toContain('README.md (line 10)');
  });
});
