// What the dashboard's browser tests share: the UI built into a temp dir, a real
// `herald serve` child process (so a test can SIGKILL it and start it again on the
// same port and data dir), and Debian's Chromium driven by Playwright. A failing test
// leaves a screenshot in test-results/.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright';
import type { TestContext } from 'vitest';
import { buildRenderer } from '../scripts/build-renderer.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'test-results');

/** The flags Chromium needs on this machine (DEVELOPERS.md): no sandbox as root, no network of its own. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `herald-${prefix}-`));
}

export async function buildDashboard(): Promise<string> {
  const dir = await makeTempDir('dashboard-ui');
  await buildRenderer({ outDir: dir, minify: false });
  return dir;
}

export interface ServeOptions {
  uiDir: string;
  dataDir: string;
  token?: string;
  port?: number;
  /** A config file (jobs) as an object. */
  config?: object;
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** POST a JSON message (or an `end`) to a topic; answers the new event's id. */
  publish(topic: string, body: object): Promise<string>;
  /** SIGKILL: no goodbye to clients, nothing flushed that was not already. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<ServerProcess> {
  const args = ['bin/herald.js', 'serve', '--port', String(options.port ?? 0), '--data-dir', options.dataDir, '--heartbeat-sec', '2'];
  if (options.token) args.push('--token', options.token);
  // Always a config: it turns the system source off, whose samples would mix into the lists the tests check.
  const file = join(options.dataDir, 'herald.config.json');
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, JSON.stringify({ system: { enabled: false }, ...options.config }));
  args.push('--config', file);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HERALD_DASHBOARD_DIR: options.uiDir, HERALD_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`herald serve did not start in 15 s: ${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`herald serve exited with ${code}: ${output}`));
    });
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async publish(topic, body) {
      const response = await fetch(`${url}/topics/${topic}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = (await response.json()) as { id?: string; error?: string };
      if (response.status !== 201 || !answer.id) throw new Error(`publish to ${topic} answered ${response.status}: ${answer.error}`);
      return answer.id;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A fresh browser context and page; on failure the test's page is saved as a screenshot. */
export async function openPage(browser: Browser, ctx: TestContext, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  ctx.onTestFailed(async () => {
    await mkdir(RESULTS_DIR, { recursive: true });
    const name = ctx.task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
    await page.screenshot({ path: join(RESULTS_DIR, `dashboard-${name}.png`), fullPage: true }).catch(() => undefined);
    if (errors.length > 0) console.error(`page errors in "${ctx.task.name}":\n${errors.join('\n')}`);
  });
  ctx.onTestFinished(async () => {
    await context.close();
    // A script error in the page is a failure even when the assertions passed.
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
  });
  return { context, page };
}

export async function removeDirs(...dirs: Array<string | undefined>): Promise<void> {
  for (const dir of dirs) if (dir) await rm(dir, { recursive: true, force: true });
}
