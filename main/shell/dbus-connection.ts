// Just enough of a D-Bus client (the D-Bus Specification: "Message Protocol",
// "Authentication Protocol") to ask the session bus a question: connect over its Unix
// socket, authenticate as this user (EXTERNAL), and make method calls whose arguments
// are strings and uint32s. The app asks whether a StatusNotifier host exists
// (tray-visibility.ts); tests also own names with it. No library and no external
// program, so the question costs one local socket round trip.
import { connect, type Socket } from 'node:net';

type Arg = { type: 's'; value: string } | { type: 'u'; value: number };
export type ReplyValue = string | number | boolean;

/** `unix:path=/run/user/1000/bus,guid=…` or `unix:abstract=…` to a socket path (abstract ones start with NUL). */
export function socketPathOf(address: string): string {
  for (const candidate of address.split(';')) {
    if (!candidate.startsWith('unix:')) continue;
    const params = new Map(candidate.slice(5).split(',').map((kv) => kv.split('=') as [string, string]));
    const unescape = (v: string) => v.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (params.has('path')) return unescape(params.get('path')!);
    if (params.has('abstract')) return `\0${unescape(params.get('abstract')!)}`;
  }
  throw new Error(`expected a unix: D-Bus address (unix:path=… or unix:abstract=…), got "${address}"`);
}

/** The session bus address from the environment, or the systemd default for this user. */
export function sessionBusAddress(env: NodeJS.ProcessEnv, uid: number): string {
  return env.DBUS_SESSION_BUS_ADDRESS || `unix:path=/run/user/${uid}/bus`;
}

class Writer {
  bytes: number[] = [];
  align(n: number): void {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  uint32(v: number): void {
    this.align(4);
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  string(s: string): void {
    const data = Buffer.from(s, 'utf8');
    this.uint32(data.length);
    this.bytes.push(...data, 0);
  }
  signature(s: string): void {
    this.byte(s.length);
    this.bytes.push(...Buffer.from(s, 'ascii'), 0);
  }
}

function message(serial: number, call: { destination: string; path: string; iface: string; member: string; args: Arg[] }): Buffer {
  const body = new Writer();
  for (const arg of call.args) (arg.type === 's' ? body.string(arg.value) : body.uint32(arg.value));
  const fields: Array<[code: number, sig: string, value: string]> = [
    [1, 'o', call.path],
    [2, 's', call.iface],
    [3, 's', call.member],
    [6, 's', call.destination],
    ...(call.args.length > 0 ? [[8, 'g', call.args.map((a) => a.type).join('')] as [number, string, string]] : []),
  ];
  const head = new Writer();
  // Little endian, METHOD_CALL, no flags, protocol version 1.
  head.bytes.push(0x6c, 1, 0, 1);
  head.uint32(body.bytes.length);
  head.uint32(serial);
  const array = new Writer();
  for (const [code, sig, value] of fields) {
    array.align(8);
    array.byte(code);
    array.signature(sig);
    if (sig === 'g') array.signature(value);
    else array.string(value);
  }
  // The array's elements start 8-aligned at offset 16, so offsets inside `array` line up.
  head.uint32(array.bytes.length);
  head.bytes.push(...array.bytes);
  head.align(8);
  return Buffer.from([...head.bytes, ...body.bytes]);
}

interface Received {
  type: number;
  replySerial: number | null;
  signature: string;
  body: Buffer;
}

/** One whole message from the front of `buffer`, or null when more bytes are needed. */
function parse(buffer: Buffer): { message: Received; length: number } | null {
  if (buffer.length < 16) return null;
  if (buffer[0] !== 0x6c) throw new Error('expected a little-endian D-Bus message');
  const bodyLength = buffer.readUInt32LE(4);
  const fieldsLength = buffer.readUInt32LE(12);
  const bodyStart = Math.ceil((16 + fieldsLength) / 8) * 8;
  if (buffer.length < bodyStart + bodyLength) return null;
  let at = 16;
  let replySerial: number | null = null;
  let signature = '';
  while (at < 16 + fieldsLength) {
    at = Math.ceil(at / 8) * 8;
    const code = buffer[at]!;
    const sigLength = buffer[at + 1]!;
    const sig = buffer.toString('ascii', at + 2, at + 2 + sigLength);
    at += 3 + sigLength;
    if (sig === 'g') {
      const length = buffer[at]!;
      if (code === 8) signature = buffer.toString('ascii', at + 1, at + 1 + length);
      at += 2 + length;
    } else if (sig === 'u') {
      at = Math.ceil(at / 4) * 4;
      if (code === 5) replySerial = buffer.readUInt32LE(at);
      at += 4;
    } else {
      at = Math.ceil(at / 4) * 4;
      at += 5 + buffer.readUInt32LE(at);
    }
  }
  return { message: { type: buffer[1]!, replySerial, signature, body: buffer.subarray(bodyStart, bodyStart + bodyLength) }, length: bodyStart + bodyLength };
}

function firstValue(received: Received): ReplyValue {
  const kind = received.signature[0];
  if (kind === 's' || kind === 'o') return received.body.toString('utf8', 4, 4 + received.body.readUInt32LE(0));
  if (kind === 'b') return received.body.readUInt32LE(0) === 1;
  if (kind === 'u') return received.body.readUInt32LE(0);
  return '';
}

export class DbusConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #serial = 0;
  readonly #pending = new Map<number, { resolve(value: ReplyValue): void; reject(error: Error): void }>();

  private constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Connect, authenticate and say Hello; rejects after `timeoutMs` or on any refusal. */
  static async open(address: string, options: { uid: number; timeoutMs: number }): Promise<DbusConnection> {
    const socket = connect(socketPathOf(address));
    const timer = setTimeout(() => socket.destroy(new Error(`the D-Bus session bus did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.write(Buffer.concat([Buffer.from([0]), Buffer.from(`AUTH EXTERNAL ${Buffer.from(String(options.uid)).toString('hex')}\r\n`)]));
        });
        let text = '';
        const onData = (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (!text.includes('\r\n')) return;
          socket.off('data', onData);
          if (!text.startsWith('OK ')) return reject(new Error(`the D-Bus session bus refused to authenticate this user: ${text.trim()}`));
          socket.write('BEGIN\r\n');
          resolve();
        };
        socket.on('data', onData);
      });
      const connection = new DbusConnection(socket);
      socket.on('data', (chunk: Buffer) => connection.#receive(chunk));
      socket.on('error', (error) => connection.#failAll(error));
      socket.on('close', () => connection.#failAll(new Error('the D-Bus connection closed')));
      await connection.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'Hello', []);
      return connection;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  call(destination: string, path: string, iface: string, member: string, args: Arg[]): Promise<ReplyValue> {
    const serial = ++this.#serial;
    return new Promise((resolve, reject) => {
      this.#pending.set(serial, { resolve, reject });
      this.#socket.write(message(serial, { destination, path, iface, member, args }));
    });
  }

  /** org.freedesktop.DBus.NameHasOwner */
  async nameHasOwner(name: string): Promise<boolean> {
    return (await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', [{ type: 's', value: name }])) === true;
  }

  /** org.freedesktop.DBus.RequestName; true when this connection became the primary owner. */
  async requestName(name: string): Promise<boolean> {
    // Flag 4: do not queue. Reply 1: DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER.
    return (await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'RequestName', [{ type: 's', value: name }, { type: 'u', value: 4 }])) === 1;
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    try {
      this.#drain();
    } catch (error) {
      // A message this client cannot read ends the connection, never the app.
      this.#failAll(new Error(`unreadable D-Bus message: ${(error as Error).message}`));
      this.#socket.destroy();
    }
  }

  #drain(): void {
    for (let next = parse(this.#buffer); next; next = parse(this.#buffer)) {
      this.#buffer = this.#buffer.subarray(next.length);
      const { message: received } = next;
      // 2: METHOD_RETURN, 3: ERROR; signals and calls to us are not waited for.
      if ((received.type !== 2 && received.type !== 3) || received.replySerial === null) continue;
      const waiter = this.#pending.get(received.replySerial);
      if (!waiter) continue;
      this.#pending.delete(received.replySerial);
      if (received.type === 2) waiter.resolve(firstValue(received));
      else waiter.reject(new Error(`D-Bus error: ${String(firstValue(received))}`));
    }
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
