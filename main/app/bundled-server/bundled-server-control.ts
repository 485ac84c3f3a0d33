// The bundled server as the app sees it: on or off (the settings decide), and where it
// listens with which token once it does. Wraps the supervisor, which keeps it alive.
import { existsSync } from 'node:fs';
import type { Clock } from '../../../server/protocol/clock.ts';
import { BundledServerSupervisor, type BundledServerEndpoint, type LaunchServerProcess } from './bundled-server-supervisor.ts';
import { loadOrCreateInstallToken } from './install-token.ts';
import { bundledServerConfigFile, type BundledServerPlan } from './bundled-server-plan.ts';

export type BundledServerAddress = BundledServerEndpoint & { token: string };

export class BundledServerControl {
  readonly #launch: LaunchServerProcess;
  readonly #clock: Clock;
  readonly #userData: string;
  readonly #log: (message: string) => void;
  readonly #onListening: () => void;
  #supervisor: BundledServerSupervisor | null = null;
  #address: BundledServerAddress | null = null;

  constructor(options: { launch: LaunchServerProcess; clock: Clock; userData: string; log(message: string): void; onListening(): void }) {
    this.#launch = options.launch;
    this.#clock = options.clock;
    this.#userData = options.userData;
    this.#log = options.log;
    this.#onListening = options.onListening;
  }

  /** Where it listens, once it does; null while starting, restarting or off. */
  get address(): BundledServerAddress | null {
    return this.#address;
  }

  get running(): boolean {
    return this.#supervisor !== null;
  }

  start(plan: BundledServerPlan): void {
    if (this.#supervisor) return;
    // Created (0600) before the server starts, so both sides read the same token.
    const token = loadOrCreateInstallToken(plan.tokenFile);
    const configFile = bundledServerConfigFile(this.#userData);
    this.#supervisor = new BundledServerSupervisor({
      launch: this.#launch,
      plan: existsSync(configFile) ? { ...plan, configFile } : plan,
      clock: this.#clock,
      events: {
        onListening: (endpoint) => {
          this.#address = { ...endpoint, token };
          this.#log(`bundled server listening on ${endpoint.url}`);
          this.#onListening();
        },
        onDown: (reason, retryInMs) =>
          this.#log(`bundled server down: ${reason}${retryInMs === null ? '' : `; restarting in ${retryInMs / 1000} s`}`),
      },
    });
    this.#supervisor.start();
  }

  async stop(): Promise<void> {
    const supervisor = this.#supervisor;
    this.#supervisor = null;
    this.#address = null;
    await supervisor?.stop();
  }
}
