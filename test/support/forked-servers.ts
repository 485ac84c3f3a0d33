// The app's bundled-server entry in Node child processes: Node's fork stands in for
// Electron's utilityProcess (same entry, same messages), so the supervisor and the
// app's wiring are tested against the real server process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../../main/shell/bundled-server-supervisor.ts';

export const BUNDLED_SERVER_ENTRY = fileURLToPath(new URL('../../main/shell/bundled-server-entry.ts', import.meta.url));

export class ForkedServers {
  /** Every process launched, in order (tests look at pids and counts). */
  readonly children: ChildProcess[] = [];
  readonly #entry: string;
  readonly #stderr: 'pipe' | 'inherit';

  constructor(options: { entry?: string; stderr?: 'pipe' | 'inherit' } = {}) {
    this.#entry = options.entry ?? BUNDLED_SERVER_ENTRY;
    this.#stderr = options.stderr ?? 'pipe';
  }

  /** A LaunchServerProcess for the supervisor. */
  launch = (args: string[]): ServerProcess => {
    const child = fork(this.#entry, args, { stdio: ['ignore', 'ignore', this.#stderr, 'ipc'] });
    this.children.push(child);
    return {
      postMessage: (message) => child.send(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      // A Node child has no fatal-error report of its own: it just exits.
      onError: () => {},
      kill: () => child.kill('SIGKILL'),
    };
  };

  killAll(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
