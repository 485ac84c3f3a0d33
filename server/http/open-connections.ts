// The connections a credential opened that are still open, by key (a session id, a
// named token's name), so that they can be closed when the credential ends: an event
// stream would otherwise go on after a sign-out or a revoke.

import type { Socket } from 'node:net';

export class OpenConnections {
  readonly #byKey = new Map<string, Set<Socket>>();
  /** Told when the last tracked connection has closed. */
  readonly #onEmpty: () => void;

  constructor(onEmpty: () => void = () => {}) {
    this.#onEmpty = onEmpty;
  }

  /** Keys with a connection still open. */
  get size(): number {
    return this.#byKey.size;
  }

  keys(): string[] {
    return [...this.#byKey.keys()];
  }

  /** Remember that `socket` was opened by `key`, until it closes. */
  track(key: string, socket: Socket): void {
    let sockets = this.#byKey.get(key);
    if (sockets === undefined) this.#byKey.set(key, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.#byKey.get(key) === sockets) this.#byKey.delete(key);
      if (this.#byKey.size === 0) this.#onEmpty();
    });
  }

  /** Close every connection `key` opened (but `except`, the one asking), and forget the key. */
  close(key: string, except?: Socket): void {
    const sockets = this.#byKey.get(key);
    this.#byKey.delete(key);
    for (const socket of sockets ?? []) if (socket !== except) socket.destroy();
  }
}
