// `herald watch --notify` on Linux, all the way to a real notification daemon: a
// private D-Bus session bus, a virtual X display (Xvfb) and dunst, started here and
// torn down after. What dunst received is read back with `dunstctl history`. dunst
// 1.9's history has no urgency field, so a dunst rule per urgency sets the message
// format to `urgency=<level>`: the daemon itself tells which urgency it saw.
//
// Never skipped: a missing tool fails the test with the Debian package to install
// (.ci/run installs them).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';
import { killAllHerald, spawnHerald } from './watch-support.ts';

const TOOLS: Array<[tool: string, debianPackage: string]> = [
  ['dbus-daemon', 'dbus'],
  ['Xvfb', 'xvfb'],
  ['dunst', 'dunst'],
  ['dunstctl', 'dunst'],
  ['notify-send', 'libnotify-bin'],
];

const DUNST_RC = `[global]
  monitor = 0
  format = "%s"
[herald_low]
  msg_urgency = low
  format = "urgency=low"
[herald_normal]
  msg_urgency = normal
  format = "urgency=normal"
[herald_critical]
  msg_urgency = critical
  format = "urgency=critical"
`;

const daemons: ChildProcess[] = [];
let dir = '';
let env: Record<string, string> = {};
let server: TestServer | undefined;

function requireTools(): void {
  const missing = TOOLS.filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new Error(`missing ${missing.map(([tool]) => tool).join(', ')}: install the Debian packages with: apt-get install ${packages}`);
  }
}

/** Start a daemon and resolve with the first line it prints on stdout. */
function startDaemon(file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const child = spawn(file, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  daemons.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} printed nothing within 10 s; stderr: ${stderr}`)), 10_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}; stderr: ${stderr}`));
    });
  });
}

function dunstctl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('dunstctl', args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 5000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  requireTools();
  dir = mkdtempSync(join(tmpdir(), 'herald-dbus-'));
  const busAddress = await startDaemon('dbus-daemon', ['--session', '--nofork', '--print-address=1']);
  // -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
  const display = await startDaemon('Xvfb', ['-displayfd', '1', '-screen', '0', '640x480x24', '-nolisten', 'tcp']);
  env = { DBUS_SESSION_BUS_ADDRESS: busAddress, DISPLAY: `:${display}` };
  writeFileSync(join(dir, 'dunstrc'), DUNST_RC);
  const dunst = spawn('dunst', ['-config', join(dir, 'dunstrc')], { env: { ...process.env, ...env }, stdio: 'ignore' });
  daemons.push(dunst);
  const deadline = Date.now() + 10_000;
  while (dunstctl('count').status !== 0) {
    if (Date.now() > deadline || dunst.exitCode !== null) throw new Error(`dunst did not take the notification service on the bus: ${dunstctl('count').stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  server = await startTestServer({ heartbeatMs: 60_000, retryMs: 200 });
}, 30_000);

afterAll(async () => {
  await killAllHerald();
  if (server) {
    server.server.http.closeAllConnections();
    await server.close();
  }
  for (const daemon of daemons.reverse()) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) continue;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Shown {
  summary: string;
  body: string;
  appname: string;
  urgency: string;
}

function history(): Shown[] {
  const result = dunstctl('history');
  if (result.status !== 0) throw new Error(`dunstctl history failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { data: Array<Array<Record<string, { data: unknown }>>> };
  return (parsed.data[0] ?? []).map((n) => ({
    summary: String(n.summary?.data),
    body: String(n.body?.data),
    appname: String(n.appname?.data),
    urgency: String(n.message?.data).replace(/^urgency=/, ''),
  }));
}

it('raises each notification on the session bus with its title, body and urgency', { timeout: 30_000 }, async () => {
  const url = server!.url;
  const watcher = spawnHerald(['watch', url, '--topics', 'backups', '--notify'], env);
  await watcher.waitForLine('stderr', (line) => line.startsWith('-- live'));

  await server!.publish('backups', { title: 'Backup failed', body: 'disk full on /srv', priority: 5 });
  await server!.publish('backups', { title: 'Nightly report', body: '-all green', priority: 2 });
  await server!.publish('backups', { event: 'alert', level: 'warn', message: 'backup took 3 hours' });
  await server!.publish('backups', { event: 'end', state: 'succeeded', exitCode: 0, durationMs: 65_000, summary: 'last run done' });
  expect(await watcher.exited).toBe(0);
  expect(watcher.stderr.filter((line) => line.includes('cannot show a notification'))).toEqual([]);

  // Critical notifications stay on screen until closed; closing moves all to history.
  expect(dunstctl('close-all').status).toBe(0);
  const shown = history().sort((a, b) => (a.summary < b.summary ? -1 : 1));
  expect(shown).toEqual([
    { summary: 'Backup failed', body: 'disk full on /srv', appname: 'Herald', urgency: 'critical' },
    { summary: 'Nightly report', body: '-all green', appname: 'Herald', urgency: 'low' },
    { summary: 'Warning: backups', body: 'backup took 3 hours', appname: 'Herald', urgency: 'normal' },
    { summary: 'backups succeeded', body: 'last run done (exit 0, 1 min 5 s)', appname: 'Herald', urgency: 'normal' },
  ]);
});

it('hands notify-send titles and bodies with their controls and unpaired bidi controls escaped', { timeout: 30_000 }, async () => {
  const url = server!.url;
  const watcher = spawnHerald(['watch', url, '--topics', 'evil', '--notify'], env);
  await watcher.waitForLine('stderr', (line) => line.startsWith('-- live'));
  await server!.publish('evil', { title: 'Clip\u001b]52;c;cm0gLXJmIH4=\u0007board', body: 'nul\u0000here\bX\u2028para\u0085nel\r\nnext line', priority: 5 });
  await server!.publish('evil', { title: 'Invoice \u202efdp.exe', body: 'Safe body text here, C:\\new\\033]0;x\\a', priority: 5 });
  await server!.publish('evil', { event: 'end', state: 'succeeded', exitCode: 0, durationMs: 1000, summary: 'ok' });
  expect(await watcher.exited).toBe(0);
  expect(watcher.stderr.filter((line) => line.includes('cannot show a notification'))).toEqual([]);

  expect(dunstctl('close-all').status).toBe(0);
  const shown = history().filter((n) => n.summary.startsWith('Clip') || n.summary.startsWith('Invoice'));
  expect(shown.sort((a, b) => (a.summary < b.summary ? -1 : 1))).toEqual([
    { summary: 'Clip\\u001b]52;c;cm0gLXJmIH4=\\u0007board', body: 'nul\\u0000here\\u0008X\\u2028para\\u0085nel\nnext line', appname: 'Herald', urgency: 'critical' },
    { summary: 'Invoice \\u202efdp.exe', body: 'Safe body text here, C:\\new\\033]0;x\\a', appname: 'Herald', urgency: 'critical' },
  ]);
});
