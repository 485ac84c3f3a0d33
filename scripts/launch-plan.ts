// What `npm start` does (scripts/start.ts): launch the desktop app when it can, and
// otherwise say why in one line and run the headless server, so `npm ci && npm start`
// always ends with something running.
import type { ElectronBinary } from './electron-binary.ts';

export type LaunchPlan =
  | { kind: 'electron'; executable: string }
  | { kind: 'headless'; reason: string; notice: string };

/** A graphical session: always on macOS and Windows; on Linux and the BSDs, an X11 or Wayland display. */
export function displayProblem(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

/** The command a user runs for the server alone, as the one-line notice shows it. */
export const HEADLESS_COMMAND = 'npm run herald -- serve';

function headless(reason: string): LaunchPlan {
  return {
    kind: 'headless',
    reason,
    notice: `herald: not starting the desktop app: ${reason}; running the headless server instead (\`${HEADLESS_COMMAND}\`)`,
  };
}

/** Without a display nothing else matters; then the binary must be there. */
export function planLaunch(input: { binary: ElectronBinary; platform: NodeJS.Platform; env: NodeJS.ProcessEnv }): LaunchPlan {
  const display = displayProblem(input.platform, input.env);
  if (display !== null) return headless(display);
  if (!input.binary.found) return headless(input.binary.reason);
  return { kind: 'electron', executable: input.binary.path };
}
