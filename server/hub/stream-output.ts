// Where a stream's bytes go once its response has begun. Normally that is the raw
// socket, taken over from node:http after the head (server/http/socket-takeover.ts):
// the response head and each frame are written on it here, chunked for an HTTP/1.1
// client as node:http would, and the connection closes when the stream does
// (`Connection: close`: nothing else is read on it). When the socket cannot be taken
// over, the ServerResponse itself is the output.

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { takeOverSocket, type HttpInternals, NODE_HTTP_INTERNALS } from '../http/socket-takeover.ts';

/** What SseConnection writes to: a ServerResponse, or a SocketOutput. */
export interface StreamOutput {
  write(chunk: Buffer): boolean;
  /** Bytes written but not yet taken by the socket. */
  readonly writableLength: number;
  /** Finish the stream after what is written. */
  end(): void;
  /** Close now, dropping what is unsent. */
  destroy(): void;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/** A stream written straight to its socket. */
export class SocketOutput implements StreamOutput {
  readonly socket: Socket;
  readonly #chunked: boolean;

  constructor(socket: Socket, chunked: boolean) {
    this.socket = socket;
    this.#chunked = chunked;
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  write(chunk: Buffer): boolean {
    if (!this.#chunked) return this.socket.write(chunk);
    if (chunk.length === 0) return true;
    // One writev, and the frame (shared by every subscriber) is never copied.
    this.socket.cork();
    this.socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
    this.socket.write(chunk);
    const room = this.socket.write(CRLF);
    this.socket.uncork();
    return room;
  }

  end(): void {
    if (this.socket.destroyed) return;
    if (this.#chunked) this.socket.write(LAST_CHUNK);
    // As node:http ends a `Connection: close` response: close once what is written is sent.
    this.socket.destroySoon();
  }

  destroy(): void {
    this.socket.destroy();
  }

  on(event: 'drain' | 'close', listener: () => void): this {
    this.socket.on(event, listener);
    return this;
  }

  off(event: 'drain' | 'close', listener: () => void): this {
    this.socket.off(event, listener);
    return this;
  }
}

/**
 * Send the head of a stream's 200 response and return where its body goes: its
 * socket, taken over from node:http, or `res` itself when that cannot be done.
 */
export function startStream(res: ServerResponse, headers: OutgoingHttpHeaders, internals: HttpInternals = NODE_HTTP_INTERNALS): StreamOutput {
  // setHeader checks names and values as writeHead would; the head is built from them.
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
  const req = res.req;
  const socket = takeOverSocket(req, res, internals);
  if (socket === null) {
    res.writeHead(200);
    res.socket?.setNoDelay(true);
    return res;
  }
  const chunked = req.httpVersionMajor === 1 && req.httpVersionMinor >= 1;
  let head = 'HTTP/1.1 200 OK\r\n';
  // getRawHeaderNames keeps the names as set (Content-Type, not content-type).
  for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
    const lower = name.toLowerCase();
    if (lower === 'connection' || lower === 'date' || lower === 'transfer-encoding' || lower === 'content-length') continue;
    const value = res.getHeader(name);
    for (const one of Array.isArray(value) ? value : [value]) head += `${name}: ${String(one)}\r\n`;
  }
  head += `Date: ${new Date().toUTCString()}\r\nConnection: close\r\n`;
  if (chunked) head += 'Transfer-Encoding: chunked\r\n';
  socket.setNoDelay(true);
  socket.write(`${head}\r\n`, 'latin1');
  return new SocketOutput(socket, chunked);
}
