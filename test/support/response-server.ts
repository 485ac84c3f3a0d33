// Real sockets for the hub's unit tests: a local node:http server hands each of its
// responses to the code under test; each client is a raw socket a test can stall
// (a `paused` client never reads) and whose received text it can read.

import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface OpenResponse {
  res: ServerResponse;
  client: Socket;
  /** Everything the client has received so far (status line and headers included). */
  received(): string;
}

export class ResponseServer {
  #server: Server | undefined;
  readonly #sockets: Socket[] = [];

  /**
   * A `text/event-stream` response whose status line is sent (with `head` false: not
   * yet, for SseConnection.begin to send), and its client.
   */
  async open(paused = false, head = true): Promise<OpenResponse> {
    const waiting: Array<(res: ServerResponse) => void> = [];
    if (!this.#server) {
      const server = createServer();
      this.#server = server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }
    const server = this.#server;
    server.removeAllListeners('request');
    server.on('request', (_req, res: ServerResponse) => {
      if (head) res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      waiting.shift()?.(res);
    });
    const port = (server.address() as { port: number }).port;
    const got = new Promise<ServerResponse>((resolve) => waiting.push(resolve));
    const client = connect(port, '127.0.0.1');
    this.#sockets.push(client);
    let text = '';
    if (paused) client.pause();
    else client.on('data', (d) => (text += d.toString()));
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    return { res: await got, client, received: () => text };
  }

  /** Destroy every client and stop the server (afterEach). */
  async close(): Promise<void> {
    for (const socket of this.#sockets.splice(0)) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
