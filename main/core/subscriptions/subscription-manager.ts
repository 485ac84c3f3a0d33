// Subscriptions to any number of servers, one connection each (ServerConnection).
// The desktop app and `herald watch` both drive it: give it the servers, listen for
// events and for state changes. Changing the servers restarts only the connections
// whose URL, token or topics changed.

import { EventSource } from 'eventsource';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { systemClock } from '../clock.ts';
import { DEFAULT_BACKOFF } from './backoff.ts';
import { memoryResumePoints } from './resume-points.ts';
import { ServerConnection, type ConnectionDeps, type ServerSubscription } from './server-connection.ts';
import type { ServerSnapshot } from './subscription-state.ts';

/** The server's heartbeat interval (a `: hb` comment every 15 s, docs/protocol.md). */
export const DEFAULT_HEARTBEAT_MS = 15_000;

export type { ServerSubscription };

export interface SubscriptionEvents {
  event(serverId: string, event: HeraldEvent): void;
  /** Every server's snapshot, after any of them changed. */
  status(snapshots: ServerSnapshot[]): void;
  problem(serverId: string, message: string): void;
}

type Listeners = { [K in keyof SubscriptionEvents]: Set<SubscriptionEvents[K]> };

function sameSubscription(a: ServerSubscription, b: ServerSubscription): boolean {
  return a.url === b.url && a.token === b.token && a.since === b.since && a.topics.join(',') === b.topics.join(',');
}

export class SubscriptionManager {
  readonly #deps: ConnectionDeps;
  readonly #connections = new Map<string, ServerConnection>();
  readonly #listeners: Listeners = { event: new Set(), status: new Set(), problem: new Set() };

  constructor(deps: Partial<ConnectionDeps> = {}) {
    this.#deps = {
      EventSource,
      fetch: globalThis.fetch,
      clock: systemClock,
      random: Math.random,
      resumePoints: memoryResumePoints(),
      heartbeatMs: DEFAULT_HEARTBEAT_MS,
      backoff: DEFAULT_BACKOFF,
      ...deps,
    };
  }

  on<K extends keyof SubscriptionEvents>(name: K, listener: SubscriptionEvents[K]): () => void {
    const set = this.#listeners[name] as Set<SubscriptionEvents[K]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Subscribe to exactly these servers (disabled ones are left out by the caller or by `enabled: false`). */
  setServers(servers: ReadonlyArray<ServerSubscription & { enabled?: boolean }>): void {
    const wanted = new Map(servers.filter((s) => s.enabled !== false && s.topics.length > 0).map((s) => [s.id, s]));
    for (const [id, connection] of this.#connections) {
      const next = wanted.get(id);
      if (!next || !sameSubscription(connection.config, next)) {
        connection.stop('removed');
        this.#connections.delete(id);
      }
    }
    for (const [id, config] of wanted) {
      if (this.#connections.has(id)) continue;
      const connection = new ServerConnection(config, this.#deps, {
        event: (serverId, event) => this.#listeners.event.forEach((listener) => listener(serverId, event)),
        changed: () => this.#emitStatus(),
        problem: (serverId, message) => this.#listeners.problem.forEach((listener) => listener(serverId, message)),
      });
      this.#connections.set(id, connection);
      connection.start();
    }
    this.#emitStatus();
  }

  snapshots(): ServerSnapshot[] {
    return [...this.#connections.values()].map((connection) => connection.snapshot());
  }

  /** Try a server again now (the tray's "connect"): after a failure, or to skip a backoff wait. */
  reconnect(serverId: string): void {
    const connection = this.#connections.get(serverId);
    if (connection && connection.connectionState.kind !== 'live') connection.start();
  }

  /** Close every connection; nothing reconnects. */
  stop(): void {
    for (const connection of this.#connections.values()) connection.stop('stopped');
    this.#connections.clear();
    this.#emitStatus();
  }

  #emitStatus(): void {
    const snapshots = this.snapshots();
    this.#listeners.status.forEach((listener) => listener(snapshots));
  }
}
