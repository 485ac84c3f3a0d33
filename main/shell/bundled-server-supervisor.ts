// Keeps the bundled server running: starts its process, waits for it to listen, and
// restarts it with backoff if it dies, on the same port so the app's subscription
// (and any script pointed at it) keeps its URL. The process itself is injected:
// main/electron/bundled-server.ts starts an Electron utilityProcess; tests start a
// Node child process running the same entry.
import type { Clock } from '../core/clock.ts';
import { bundledServerArgs, isFromBundledServer, type ToBundledServer } from './bundled-server-messages.ts';
import type { BundledServerPlan } from './startup-plan.ts';

export interface ServerProcess {
  postMessage(message: ToBundledServer): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /**
   * A fatal error in the process (Electron's utilityProcess `error` event: a V8 fatal
   * error, after which the process ends and `exit` follows).
   */
  onError(listener: (message: string) => void): void;
  kill(): void;
}

export type LaunchServerProcess = (args: string[]) => ServerProcess;

export interface BundledServerEndpoint {
  url: string;
  port: number;
}

export interface SupervisorEvents {
  /** The server listens (first start or after a restart). */
  onListening(endpoint: BundledServerEndpoint): void;
  /** The server stopped or could not start; it is restarted after `retryInMs` (null: not restarted). */
  onDown(reason: string, retryInMs: number | null): void;
}

/** Restart delays: 1 s doubling to 1 min; a server that stays up for a minute resets it. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
const HEALTHY_AFTER_MS = 60_000;
/** How long a stopping server gets to flush its log before it is killed. */
const STOP_GRACE_MS = 5000;

export class BundledServerSupervisor {
  readonly #launch: LaunchServerProcess;
  readonly #plan: BundledServerPlan & { configFile?: string };
  readonly #clock: Clock;
  readonly #events: SupervisorEvents;
  #process: ServerProcess | null = null;
  #port: number;
  #retryMs = FIRST_RETRY_MS;
  #retryTimer: unknown = null;
  #healthyTimer: unknown = null;
  #stopped = false;

  constructor(options: { launch: LaunchServerProcess; plan: BundledServerPlan & { configFile?: string }; clock: Clock; events: SupervisorEvents }) {
    this.#launch = options.launch;
    this.#plan = options.plan;
    this.#clock = options.clock;
    this.#events = options.events;
    this.#port = options.plan.port;
  }

  start(): void {
    if (this.#stopped || this.#process) return;
    const child = this.#launch(bundledServerArgs({ ...this.#plan, port: this.#port }));
    this.#process = child;
    let listening = false;
    let failure: string | null = null;
    child.onMessage((message) => {
      if (!isFromBundledServer(message) || child !== this.#process) return;
      if (message.type === 'failed') {
        failure = message.message;
        // It exits by itself; one that lingers would never be restarted.
        const kill = this.#clock.setTimeout(() => child.kill(), STOP_GRACE_MS);
        child.onExit(() => this.#clock.clearTimeout(kill));
        return;
      }
      listening = true;
      this.#port = message.port;
      this.#healthyTimer = this.#clock.setTimeout(() => (this.#retryMs = FIRST_RETRY_MS), HEALTHY_AFTER_MS);
      this.#events.onListening({ url: message.url, port: message.port });
    });
    // Handled as a crash: `exit` follows, and the restart with backoff happens there.
    child.onError((message) => {
      if (child === this.#process) failure = message;
    });
    child.onExit((code) => {
      if (child !== this.#process) return;
      this.#process = null;
      this.#clock.clearTimeout(this.#healthyTimer);
      if (this.#stopped) return;
      // The remembered port may have been taken while we were down: try any free one.
      if (!listening && this.#port !== this.#plan.port) this.#port = this.#plan.port;
      const reason = failure ?? `the bundled server exited${code === null ? '' : ` with code ${code}`}`;
      const retryIn = this.#retryMs;
      this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
      this.#events.onDown(reason, retryIn);
      this.#retryTimer = this.#clock.setTimeout(() => {
        this.#retryTimer = null;
        this.start();
      }, retryIn);
    });
  }

  /** Ask the server to close (it flushes its log), kill it if it does not exit in time. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#clock.clearTimeout(this.#healthyTimer);
    const child = this.#process;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = this.#clock.setTimeout(() => child.kill(), STOP_GRACE_MS);
      child.onExit(() => {
        this.#clock.clearTimeout(kill);
        this.#process = null;
        resolve();
      });
      child.postMessage({ type: 'stop' });
    });
  }
}
