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
/** Frames up to this size are copied into one buffer with their chunk framing: one plain write instead of a writev of three. */
const COPY_UP_TO = 4096;

/** A stream written straight to its socket. */
export class SocketOutput implements StreamOutput {
  readonly socket: Socket;
  readonly #chunked: boolean;
  /** The response head, sent with the first write so that a new stream costs one write. */
  #head: string | null;

  constructor(socket: Socket, head: string, chunked: boolean) {
    this.socket = socket;
    this.#head = head;
    this.#chunked = chunked;
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  write(chunk: Buffer): boolean {
    const head = this.#head ?? '';
    this.#head = null;
    if (!this.#chunked || chunk.length === 0) {
      return head === '' ? this.socket.write(chunk) : this.socket.write(chunk.length === 0 ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), chunk]));
    }
    const prefix = `${head}${chunk.length.toString(16)}\r\n`;
    if (chunk.length <= COPY_UP_TO) {
      const out = Buffer.allocUnsafe(prefix.length + chunk.length + 2);
      const at = out.write(prefix, 'latin1');
      chunk.copy(out, at);
      out[at + chunk.length] = 13;
      out[at + chunk.length + 1] = 10;
      return this.socket.write(out);
    }
    // A large frame (shared by every subscriber) is not copied: one writev.
    this.socket.cork();
    this.socket.write(prefix, 'latin1');
    this.socket.write(chunk);
    const room = this.socket.write(CRLF);
    this.socket.uncork();
    return room;
  }

  end(): void {
    if (this.socket.destroyed) return;
    if (this.#head !== null) this.write(Buffer.alloc(0));
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
  const req = res.req;
  const chunked = req.httpVersionMajor === 1 && req.httpVersionMinor >= 1;
  // Built (and checked) before the socket is taken over: a bad header throws while
  // the response can still answer with an error.
  let head = 'HTTP/1.1 200 OK\r\n';
  // Headers set on the response before (checked by setHeader), then the stream's own.
  // getRawHeaderNames keeps the names as set (Content-Type, not content-type).
  for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
    if (SKIPPED.has(name.toLowerCase()) || hasHeader(headers, name)) continue;
    head += headerLines(name, res.getHeader(name));
  }
  head += ownLines(headers);
  const socket = takeOverSocket(req, res, internals);
  if (socket === null) {
    res.writeHead(200, headers);
    res.socket?.setNoDelay(true);
    return res;
  }
  head += `Date: ${httpDate()}\r\nConnection: close\r\n`;
  if (chunked) head += 'Transfer-Encoding: chunked\r\n';
  socket.setNoDelay(true);
  return new SocketOutput(socket, `${head}\r\n`, chunked);
}

/** The lines of a frozen headers object (every stream's own), built and checked once. */
const linesOfFrozen = new WeakMap<OutgoingHttpHeaders, string>();

function ownLines(headers: OutgoingHttpHeaders): string {
  let lines = linesOfFrozen.get(headers);
  if (lines !== undefined) return lines;
  lines = '';
  for (const [name, value] of Object.entries(headers)) if (!SKIPPED.has(name.toLowerCase())) lines += headerLines(name, value);
  if (Object.isFrozen(headers)) linesOfFrozen.set(headers, lines);
  return lines;
}

let dateSecond = -1;
let dateText = '';

/** The Date header's value at `now`, formatted once a second (as node:http does). */
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** Headers the head writes itself. */
const SKIPPED = new Set(['connection', 'date', 'transfer-encoding', 'content-length']);

function hasHeader(headers: OutgoingHttpHeaders, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/** An HTTP token (RFC 9110, 5.6.2), what a header name must be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a header value may not hold, as node:http checks it. */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** `Name: value` lines; a name or value that would break the head is refused, as setHeader refuses it. */
function headerLines(name: string, value: OutgoingHttpHeaders[string]): string {
  if (value === undefined) return '';
  if (!TOKEN.test(name)) throw new TypeError(`expected a header name made of token characters, got ${JSON.stringify(name)}`);
  let lines = '';
  for (const one of Array.isArray(value) ? value : [value]) {
    const text = String(one);
    if (INVALID_VALUE.test(text)) throw new TypeError(`expected the value of the header ${JSON.stringify(name)} without control characters, got ${JSON.stringify(text.slice(0, 80))}`);
    lines += `${name}: ${text}\r\n`;
  }
  return lines;
}
