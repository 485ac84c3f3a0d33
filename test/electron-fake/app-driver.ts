// Runs the built main bundle under the fake Electron (register.ts) in a child process
// and talks to it: collects what the fake reports (windows, tray, menus,
// notifications, pushes), and asks it to act (IPC invokes, app:// fetches, clicks,
// window moves, quit). test/electron-main-bundle.test.ts drives the app with it.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTER = fileURLToPath(new URL('./register.ts', import.meta.url));
export const APP_PAGE = 'app://herald/index.html';

export class FakeElectronApp {
  readonly child: ChildProcess;
  readonly reports: Array<{ what: string; data: unknown }> = [];
  readonly #pending = new Map<number, (data: unknown) => void>();
  #nextId = 1;

  /** Start dist/main/main.js of `appDir` with this user data (and the fake's HERALD_FAKE_ELECTRON_* switches in `env`). */
  constructor(options: { appDir: string; userData: string; env?: NodeJS.ProcessEnv }) {
    this.child = fork(join(options.appDir, 'dist', 'main', 'main.js'), [], {
      cwd: options.appDir,
      execArgv: ['--import', REGISTER],
      // No session bus: the tray counts as visible-or-unknown, the same on every machine.
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/herald-test-bus', HERALD_USER_DATA_DIR: options.userData, ...options.env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: { type: string; id?: number; what?: string; data: unknown }) => {
      if (message.type === 'report') this.reports.push({ what: message.what!, data: message.data });
      if (message.type === 'reply') this.#pending.get(message.id!)?.(message.data);
    });
  }

  ask<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve as (data: unknown) => void);
      this.child.send({ ...message, id });
    });
  }

  reported(what: string): unknown[] {
    return this.reports.filter((r) => r.what === what).map((r) => r.data);
  }

  invoke<T>(channel: string, args: unknown[] = [], frameUrl: string | null = APP_PAGE) {
    return this.ask<{ ok: true; value: T } | { ok: false; error: string }>({ type: 'invoke', channel: `herald:${channel}`, args, frameUrl });
  }

  exited(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', resolve));
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited();
    }
  }
}
