// The servers a scenario can run against. Each starts as its own child process on
// 127.0.0.1 with a free port. Herald runs as `herald serve` with its SQLite log on
// (persistence is part of what is measured); the two references run from
// bench/reference/. A scale-out target (several instances) fits the same shape: its
// `start` returns a RunningServer with several urls and pids.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, ServerProcess } from './server-process.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface StartOptions {
  /** A directory the server may use (Herald's data dir goes under it). */
  workDir: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Extra server arguments (the references ignore options they do not know). */
  serverArgs?: readonly string[];
}

export interface ServerTarget {
  name: string;
  label: string;
  /** True for a server that only holds subscribers and takes no publishes (no warm-up event possible). */
  subscribeOnly?: boolean;
  /** Why this target cannot run in this checkout, or null when it can. */
  unavailable(): string | null;
  start(options: StartOptions): Promise<RunningServer>;
}

function nodeServer(name: string, label: string, entry: string, args: (workDir: string) => string[]): ServerTarget {
  const file = path.join(ROOT, entry);
  return {
    name,
    label,
    unavailable: () => (existsSync(file) ? null : `${entry} does not exist yet`),
    start: (options) =>
      ServerProcess.start({
        name: label,
        command: process.execPath,
        args: [...(options.nodeArgs ?? []), file, ...args(options.workDir), ...(options.serverArgs ?? [])],
        cwd: ROOT,
      }),
  };
}

export const HERALD: ServerTarget = nodeServer('herald', 'Herald', 'bin/herald.js', (workDir) => {
  const dataDir = path.join(workDir, 'herald-data');
  mkdirSync(dataDir, { recursive: true });
  return ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir];
});

export const NODE_HTTP_FLOOR = nodeServer('node-http', 'node:http floor', 'bench/reference/node-http-server.ts', () => ['--port', '0']);

export const BETTER_SSE = nodeServer('better-sse', 'better-sse', 'bench/reference/better-sse-server.ts', () => ['--port', '0']);

/** Sockets only, no node:http and no publishing: the idle-memory floor of Node itself. */
export const RAW_NET: ServerTarget = {
  ...nodeServer('raw-net', 'raw net sockets', 'bench/reference/raw-net-server.ts', () => ['--port', '0']),
  subscribeOnly: true,
};

export const TARGETS: readonly ServerTarget[] = [HERALD, NODE_HTTP_FLOOR, BETTER_SSE, RAW_NET];

export function targetNamed(name: string): ServerTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}
