// Every entry point a user runs, on a Node.js older than package.json "engines" asks
// for: one line naming the version found and the one needed, exit 1, no stack trace.
// Run for real with an old Node.js of the machine: $HERALD_OLD_NODE, /usr/bin/node,
// /usr/local/bin/node or any `node` on PATH that is too old (Debian's node is 20 on
// the CI image, whose tests run on a Node 24 that .ci/run provisions).

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const check = createRequire(import.meta.url)('../bin/check-node.cjs') as {
  satisfies(version: string, range: string): boolean | null;
  problem(version: string, range: string, executable: string): string | null;
  engines(): string;
};
const NEEDED = check.engines();

/** A Node.js on this machine that is too old, with its version, or null. */
function findOldNode(): { path: string; version: string } | null {
  const candidates = [process.env.HERALD_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node'))];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const result = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const version = result.stdout?.trim();
    if (result.status === 0 && version && check.satisfies(version, NEEDED) === false) return { path: realpathSync(candidate), version };
  }
  return null;
}

/** npm's own script (npm-cli.js), run by this Node.js so that npm itself works whatever `node` the scripts get. */
function npmCli(): string {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const npm = join(dir, 'npm');
    if (existsSync(npm)) return join(dirname(realpathSync(npm)), 'npm-cli.js');
  }
  throw new Error('npm was not found on PATH: install npm (it comes with Node.js)');
}

const old = findOldNode();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  output: string;
}

/** Run to the end, bounded: a check that failed to stop `npm test` must not run the suite. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `npm <args>` whose scripts find the old Node.js first on PATH as `node`. */
function npmWithOldNode(args: string[]): Promise<Run> {
  const bin = mkdtempSync(join(tmpdir(), 'herald-old-node-'));
  dirs.push(bin);
  symlinkSync(old!.path, join(bin, 'node'));
  return run(process.execPath, [npmCli(), ...args], { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, npm_config_update_notifier: 'false' });
}

function expectOneLine(result: Run): void {
  expect(result.code, result.output).not.toBe(0);
  const lines = result.output.split('\n').filter((line) => line.startsWith('herald needs Node.js'));
  expect(lines, result.output).toEqual([`herald needs Node.js ${NEEDED} (package.json "engines"); this is Node.js ${old!.version} at ${old!.path}. Install Node.js 24 LTS (https://nodejs.org) and run again.`]);
  expect(result.output).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|^\s+at /m);
}

describe('the Node.js version check', () => {
  it('reads the engines range and decides like semver', () => {
    expect(check.satisfies(process.version, NEEDED)).toBe(true);
    expect(['v20.20.2', 'v22.18.0', 'v24.6.9', 'v24.7.0', 'v26.1.0'].map((v) => check.satisfies(v, NEEDED))).toEqual([false, false, false, true, true]);
    expect(['22.17.9', '22.18.0', '22.99.0', '23.0.0', '24.0.0'].map((v) => check.satisfies(v, '^22.18.0 || >=24'))).toEqual([false, true, true, false, true]);
    expect(check.satisfies('20.0.0', '>= 18 < 21')).toBe(true);
    expect(check.satisfies('20.0.0', 'latest')).toBeNull();
    expect(check.problem('v20.20.2', '>=24.7', '/usr/bin/node')).toBe(
      'herald needs Node.js >=24.7 (package.json "engines"); this is Node.js v20.20.2 at /usr/bin/node. Install Node.js 24 LTS (https://nodejs.org) and run again.',
    );
    expect(check.problem('v24.7.0', '>=24.7', '/usr/bin/node')).toBeNull();
  });

  describe.skipIf(old === null)(
    old ? `on Node.js ${old.version} (${old.path})` : `skipped: no Node.js outside "${NEEDED}" found at $HERALD_OLD_NODE, /usr/bin/node, /usr/local/bin/node or on PATH; set HERALD_OLD_NODE to one`,
    () => {
      it('bin/herald.js prints one line and exits 1', async () => {
        const result = await run(old!.path, [join(ROOT, 'bin', 'herald.js'), 'serve', '--help']);
        expectOneLine(result);
        expect(result.output.trim().split('\n')).toHaveLength(1);
      });

      for (const args of [['start'], ['test'], ['run', 'herald', '--', '--help'], ['run', 'bench', '--', '--help'], ['run', 'build']]) {
        it(`npm ${args.join(' ')} prints one line and exits non-zero`, { timeout: 70_000 }, async () => {
          expectOneLine(await npmWithOldNode(args));
        });
      }

      it('npm ci refuses the old Node.js before installing anything (.npmrc engine-strict)', { timeout: 70_000 }, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'herald-npm-ci-'));
        dirs.push(dir);
        for (const file of ['package.json', 'package-lock.json', '.npmrc']) cpSync(join(ROOT, file), join(dir, file));
        const result = await run(old!.path, [npmCli(), 'ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], process.env, dir);
        expect(result.code, result.output).not.toBe(0);
        expect(result.output).toContain('EBADENGINE');
        expect(result.output).toContain(`Required: {"node":"${NEEDED}"}`);
        expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      });
    },
  );
});
