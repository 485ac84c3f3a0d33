// Debian's Prometheus and Alertmanager as real peers of a test server: started on a
// free 127.0.0.1 port with a config a test writes, in a temp folder, ready once their
// own readiness endpoint answers, killed at the end. Clustering is off and nothing
// leaves loopback.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export const ALERTMANAGER_BINARY = process.env.HERALD_ALERTMANAGER ?? 'prometheus-alertmanager';
export const PROMETHEUS_BINARY = process.env.HERALD_PROMETHEUS ?? 'prometheus';

export interface Peer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** What it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function startPeer(name: string, binary: string, configFile: string, args: (dir: string, port: number) => string[], config: string): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), `herald-${name}-`));
  const port = await freePort();
  await writeFile(join(dir, configFile), config);
  const child: ChildProcess = spawn(binary, args(dir, port), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`${binary} did not start: ${error.message} (is Debian's package installed?)`)));
    child.once('exit', (code, signal) => reject(new Error(`${binary} exited (${code ?? signal}) before it was ready: ${output.trim().slice(-2000)}`)));
  });
  failed.catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const ready = (async () => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${binary} was not ready on ${url} within 20 s: ${output.trim().slice(-2000)}`);
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}

/** An Alertmanager with `config` (YAML) as its alertmanager.yml. */
export function startAlertmanager(config: string): Promise<Peer> {
  return startPeer('alertmanager', ALERTMANAGER_BINARY, 'alertmanager.yml', (dir, port) => [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ], config);
}

/** A Prometheus with `config` (YAML) as its prometheus.yml. */
export function startPrometheus(config: string): Promise<Peer> {
  return startPeer('prometheus', PROMETHEUS_BINARY, 'prometheus.yml', (dir, port) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], config);
}

/** An alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  generatorURL?: string;
  startsAt?: string;
  endsAt?: string;
}

export async function pushAlerts(alertmanager: Peer, alerts: PostableAlert[]): Promise<void> {
  const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
}
