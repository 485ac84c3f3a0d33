// What an idle SSE connection costs Node without node:http: a `net` server that reads
// the request head, answers the SSE head and `retry:` and then only holds the socket.
// It serves no publishes; the idle-subscribers scenario uses it to show how much of a
// server's per-connection memory is the socket itself and how much is node:http's
// per-connection parser, request and response.
//
//   node bench/reference/raw-net-server.ts --port 0

import net from 'node:net';
import { listenOptions } from './reference-http.ts';

const HEAD_END = '\r\n\r\n';
const MAX_HEAD = 8192;
const sockets = new Set<net.Socket>();

const server = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  let head = '';
  const onData = (chunk: Buffer): void => {
    head += chunk.toString('latin1');
    if (head.length > MAX_HEAD) return void socket.destroy();
    if (!head.includes(HEAD_END)) return;
    socket.off('data', onData);
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 3000\n\n');
  };
  socket.on('data', onData);
});

const { host, port } = listenOptions();
server.listen(port, host, () => {
  const address = server.address() as net.AddressInfo;
  console.log(`listening on http://${host}:${address.port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    process.exit(0);
  });
}
