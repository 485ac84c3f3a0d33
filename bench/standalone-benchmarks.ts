// Standalone benchmarks: any `bench/<name>-bench.ts` (e.g. history-bench.ts,
// renderer-bench.ts) is a script that measures one part on its own and prints markdown
// to stdout. `npm run bench` runs each one in its own process after the server
// scenarios (passing `--quick` along) and puts its output in the report; each also runs
// alone: `node bench/<name>-bench.ts [--quick]`.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnWithFdLimit } from './child-processes.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 10 * 60 * 1000;
const OUTPUT_KEPT = 20_000;

export interface StandaloneResult {
  name: string;
  file: string;
  exitCode: number | null;
  seconds: number;
  output: string;
}

/** Names (file name without `.ts`) of the standalone benchmarks present. */
export function standaloneBenchmarks(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('-bench.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

export function runStandalone(name: string, quick: boolean, echo: (text: string) => void): Promise<StandaloneResult> {
  const file = path.join(BENCH_DIR, `${name}.ts`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawnWithFdLimit(process.execPath, [file, ...(quick ? ['--quick'] : [])], {
      cwd: path.dirname(BENCH_DIR),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      echo(chunk.toString('utf8'));
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== null) output += `\n(killed by ${signal}${signal === 'SIGKILL' ? ` after ${TIMEOUT_MS / 60000} min` : ''})`;
      resolve({ name, file: path.relative(path.dirname(BENCH_DIR), file), exitCode: code, seconds: (performance.now() - started) / 1000, output });
    });
  });
}
