// A load balancer in miniature for tests: a TCP proxy on 127.0.0.1 that sends each
// new connection to the first backend that accepts it, as nginx does with
// `proxy_next_upstream error` (docs/nginx-herald.conf). When a backend dies, its
// connections drop and the clients' reconnections land on the next one.

import { connect, createServer, type Socket } from 'node:net';

export interface FailoverBalancer {
  url: string;
  /** How many connections went to each backend port. */
  readonly routed: Map<number, number>;
  close(): Promise<void>;
}

export async function startFailoverBalancer(backendPorts: readonly number[]): Promise<FailoverBalancer> {
  const sockets = new Set<Socket>();
  const routed = new Map<number, number>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    client.pause();
    const tryBackend = (index: number): void => {
      const port = backendPorts[index];
      if (port === undefined) {
        client.destroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port });
      let connected = false;
      upstream.on('error', () => {
        upstream.destroy();
        // Refused: try the next backend. After connecting: drop the client, which reconnects.
        if (connected) client.destroy();
        else tryBackend(index + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        track(upstream);
        routed.set(port, (routed.get(port) ?? 0) + 1);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        // Either side going away takes the other with it, as a proxy's would.
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      });
    };
    client.on('error', () => client.destroy());
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
