// `npm start`: build, then launch the desktop app. Where it cannot run (no display, or
// no Electron binary and none can be downloaded: electron's install script is denied
// in package.json so that `npm ci` works offline), say so in ONE line and run the
// headless server instead, on the app's own data folder, so `npm ci && npm start`
// always ends with Herald running. Arguments after `--` go to the app or the server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateElectronBinary, type ElectronBinary } from './electron-binary.ts';
import { displayProblem, planLaunch } from './launch-plan.ts';
import { bundledServerPaths } from '../main/app/bundled-server/bundled-server-plan.ts';
import { desktopUserDataDir } from '../main/app/startup/user-data-dir.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronPackage = join(root, 'node_modules', 'electron');
/** Downloading Electron (about 100 MB) on a slow line takes a while; a dead network fails at once. */
const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;

function runToEnd(child: ChildProcess): Promise<number> {
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

/** Try electron's own installer once; its output is kept quiet, its last error line returned. */
function tryDownloadElectron(): string | null {
  console.log('herald: the Electron binary is missing; trying to download it (node node_modules/electron/install.js)');
  const result = spawnSync(process.execPath, [join(electronPackage, 'install.js')], { cwd: electronPackage, encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  if (result.status === 0) return null;
  const lines = `${result.stderr ?? ''}\n${result.error?.message ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((line) => /error|failed/i.test(line)) ?? lines[0] ?? `exit code ${result.status}`;
}

async function main(): Promise<number> {
  const extraArgs = process.argv.slice(2);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.ts'), '--no-check'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;

  const locate = (): ElectronBinary => locateElectronBinary({ packageDir: electronPackage, env: process.env, platform: process.platform });
  let binary = locate();
  if (!binary.found && displayProblem(process.platform, process.env) === null) {
    const failure = tryDownloadElectron();
    binary = locate();
    if (!binary.found && failure) binary = { found: false, reason: `${binary.reason} and downloading it failed (${failure})` };
  }
  const plan = planLaunch({ binary, platform: process.platform, env: process.env });

  if (plan.kind === 'electron') {
    const env = { ...process.env };
    // Set, it would make Electron run as plain Node instead of the app.
    delete env.ELECTRON_RUN_AS_NODE;
    return runToEnd(spawn(plan.executable, [root, ...extraArgs], { cwd: root, stdio: 'inherit', env }));
  }
  console.log(plan.notice);
  const { dataDir } = bundledServerPaths(desktopUserDataDir(process.platform, process.env, homedir()));
  return runToEnd(
    spawn(process.execPath, [join(root, 'bin', 'herald.js'), 'serve', '--data-dir', dataDir, ...extraArgs], { cwd: root, stdio: 'inherit' }),
  );
}

process.exitCode = await main();
