// The desktop app's bundled server as the CLI's default target: when the app runs,
// `herald publish` / `run` / `job` / `watch` reach it with no --server or token to
// copy, because its port changes at each launch. $HERALD_URL (and --server) still
// win; `serve` is left alone, since HERALD_TOKEN there would set the new server's token.
import { homedir } from 'node:os';
import { runningBundledServer } from '../app/bundled-server/bundled-server-address.ts';
import { desktopUserDataDir } from '../app/startup/user-data-dir.ts';

const CLIENT_COMMANDS = new Set(['publish', 'run', 'job', 'watch']);

export function withBundledServerDefaults(
  command: string | undefined,
  env: NodeJS.ProcessEnv,
  userData: string = desktopUserDataDir(process.platform, env, homedir()),
): NodeJS.ProcessEnv {
  if (command === undefined || !CLIENT_COMMANDS.has(command) || env.HERALD_URL) return env;
  const bundled = runningBundledServer(userData);
  if (bundled === null) return env;
  return { ...env, HERALD_URL: bundled.url, HERALD_TOKEN: env.HERALD_TOKEN || bundled.token };
}
