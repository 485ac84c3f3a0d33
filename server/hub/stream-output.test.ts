// startStream and SocketOutput on a real node:http server and raw client sockets:
// the chunk framing of small and large frames and of empty writes, the head sent
// with the first write or at the end, headers set on the response before, header
// checks, and flow control ('drain') on the taken-over socket. What a whole Herald
// server puts on the wire (HTTP/1.0, shutdown, the fallback) is in
// test/server-stream-socket.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { waitUntil } from '../../test/support/herald-test-server.ts';
import { SocketOutput, httpDate, startStream, type StreamOutput } from './stream-output.ts';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = undefined;
});

interface Client {
  socket: Socket;
  bytes(): Buffer;
  /** Resolves once the server has closed the connection. */
  closed: Promise<void>;
}

/**
 * A request from a raw client, and the response node:http made for it, handed over
 * after a turn of the event loop (as Herald's routes start a stream after reading the
 * log: until the parser has finished the request, the socket is not taken over).
 */
async function request(options: { paused?: boolean; prepare?: (res: ServerResponse) => void; version?: string } = {}): Promise<{ res: ServerResponse; client: Client }> {
  let hand: (res: ServerResponse) => void = () => {};
  const got = new Promise<ServerResponse>((resolve) => (hand = resolve));
  if (!server) {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  }
  server.removeAllListeners('request');
  server.on('request', (_req, res: ServerResponse) => {
    options.prepare?.(res);
    setImmediate(() => hand(res));
  });
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  sockets.push(socket);
  const parts: Buffer[] = [];
  if (options.paused) socket.pause();
  else socket.on('data', (d: Buffer) => parts.push(d));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(`GET /events HTTP/${options.version ?? '1.1'}\r\nHost: x\r\n\r\n`);
  return { res: await got, client: { socket, bytes: () => Buffer.concat(parts), closed } };
}

/** The head and the chunks of a chunked body, strictly parsed; `last` once the last (empty) chunk came. */
function chunksOf(bytes: Buffer): { head: string; chunks: string[]; last: boolean } {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`expected a response head, got ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`);
  const head = bytes.subarray(0, end).toString('latin1');
  const chunks: string[] = [];
  let at = end + 4;
  while (at < bytes.length) {
    const eol = bytes.indexOf('\r\n', at);
    const line = bytes.subarray(at, eol < 0 ? undefined : eol).toString('latin1');
    if (eol < 0 || !/^[0-9a-f]+$/.test(line)) throw new Error(`expected a chunk size line at byte ${at}, got ${JSON.stringify(line.slice(0, 40))}`);
    const size = parseInt(line, 16);
    const data = bytes.subarray(eol + 2, eol + 2 + size);
    if (bytes.subarray(eol + 2 + size, eol + 4 + size).toString('latin1') !== '\r\n') throw new Error(`expected CRLF after a chunk of ${size} bytes`);
    if (size === 0) return { head, chunks, last: eol + 4 === bytes.length ? true : (() => { throw new Error('expected nothing after the last chunk'); })() };
    chunks.push(data.toString('latin1'));
    at = eol + 4 + size;
  }
  return { head, chunks, last: false };
}

const HEADERS = Object.freeze({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });

describe('SocketOutput', () => {
  it('frames each write as one chunk, small frames and large ones alike, and ends with the last chunk', async () => {
    const { res, client } = await request();
    const out = startStream(res, HEADERS);
    expect(out).toBeInstanceOf(SocketOutput);
    const large = 'L'.repeat(70_000);
    out.write(Buffer.from('data: small\n\n'));
    out.write(Buffer.from(large));
    // Exactly at the size where frames stop being copied.
    out.write(Buffer.from('x'.repeat(4096)));
    out.write(Buffer.from('y'.repeat(4097)));
    out.end();
    await client.closed;
    const { head, chunks, last } = chunksOf(client.bytes());
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(chunks).toEqual(['data: small\n\n', large, 'x'.repeat(4096), 'y'.repeat(4097)]);
    expect(last).toBe(true);
  });

  it('never writes an empty chunk: an empty write sends the head alone, or nothing, and the body goes on', async () => {
    const { res, client } = await request();
    const out = startStream(res, HEADERS);
    out.write(Buffer.alloc(0));
    await waitUntil(() => client.bytes().includes('\r\n\r\n'), () => 'expected the head on an empty first write');
    expect(client.bytes().toString('latin1')).toMatch(/\r\n\r\n$/);
    out.write(Buffer.alloc(0));
    out.write(Buffer.from('data: after\n\n'));
    out.end();
    await client.closed;
    expect(chunksOf(client.bytes())).toMatchObject({ chunks: ['data: after\n\n'], last: true });
  });

  it('sends the head with the first frame, and with the last chunk when it ends before any', async () => {
    const first = await request();
    const out = startStream(first.res, HEADERS);
    // Nothing on the wire yet: the head waits for the first write.
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.client.bytes().length).toBe(0);
    out.end();
    await first.client.closed;
    expect(chunksOf(first.client.bytes())).toMatchObject({ chunks: [], last: true });
    expect(first.client.bytes().toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n0\r\n\r\n$/);
  });

  it('writes header values as latin1 bytes, as node:http does, before a small or a large first frame', async () => {
    for (const frame of ['data: small\n\n', 'L'.repeat(5000)]) {
      const { res, client } = await request({ prepare: (res) => res.setHeader('X-Place', 'Caf\u00e9') });
      const out = startStream(res, HEADERS);
      out.write(Buffer.from(frame));
      out.end();
      await client.closed;
      const bytes = client.bytes();
      expect(bytes.includes(Buffer.from('X-Place: Caf\xe9\r\n', 'latin1'))).toBe(true);
      expect(chunksOf(bytes)).toMatchObject({ chunks: [frame], last: true });
    }
  });

  it('writes header values as latin1 bytes when the head goes out alone: an empty first write, an end before any frame, an HTTP/1.0 client', async () => {
    const cases: Array<{ version?: string; send: (out: StreamOutput) => void }> = [
      { send: (out) => out.write(Buffer.alloc(0)) },
      { send: () => {} },
      { version: '1.0', send: (out) => out.write(Buffer.from('data: old\n\n')) },
    ];
    for (const { version, send } of cases) {
      const { res, client } = await request({ version, prepare: (res) => res.setHeader('X-Place', 'Caf\u00e9') });
      const out = startStream(res, HEADERS);
      send(out);
      out.end();
      await client.closed;
      expect(client.bytes().includes(Buffer.from('X-Place: Caf\xe9\r\n', 'latin1')), `HTTP/${version ?? '1.1'}`).toBe(true);
    }
  });

  it('writes an HTTP/1.0 client its frames as they are, with no chunk framing and no last chunk', async () => {
    const { res, client } = await request({ version: '1.0' });
    const out = startStream(res, HEADERS);
    out.write(Buffer.from('data: one\n\n'));
    out.write(Buffer.from('data: two\n\n'));
    out.end();
    await client.closed;
    const text = client.bytes().toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    expect(text.slice(0, end)).not.toMatch(/Transfer-Encoding/i);
    expect(text.slice(0, end)).toMatch(/\r\nConnection: close$|\r\nConnection: close\r\n/);
    expect(text.slice(end + 4)).toBe('data: one\n\ndata: two\n\n');
  });

  it('sends a Date header of the current time', async () => {
    const { res, client } = await request();
    const before = Math.floor(Date.now() / 1000) * 1000;
    const out = startStream(res, HEADERS);
    out.end();
    await client.closed;
    const date = /\r\nDate: ([^\r]+)\r\n/.exec(chunksOf(client.bytes()).head)?.[1];
    expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    // Whole seconds, taken between the two readings of the clock.
    expect(Date.parse(date!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(date!)).toBeLessThanOrEqual(Date.now());
  });

  it("leaves out the stream's own headers it writes itself, in any case, and those with no value", async () => {
    const { res, client } = await request();
    const out = startStream(res, { ...HEADERS, connection: 'keep-alive', 'Content-Length': '5', 'X-Unset': undefined });
    out.end();
    await client.closed;
    const lines = chunksOf(client.bytes()).head.split('\r\n');
    expect(lines.filter((l) => /^(connection|content-length|x-unset):/i.test(l))).toEqual(['Connection: close']);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[A-Za-z-]+: \S/);
  });

  it('reads a headers object that is not frozen afresh for each stream: only frozen ones are remembered', async () => {
    const headers: Record<string, string> = { ...HEADERS, 'X-Round': 'one' };
    const heads: string[] = [];
    for (const round of ['one', 'two']) {
      headers['X-Round'] = round;
      const { res, client } = await request();
      startStream(res, headers).end();
      await client.closed;
      heads.push(chunksOf(client.bytes()).head);
    }
    expect(heads[0]).toContain('\r\nX-Round: one\r\n');
    expect(heads[1]).toContain('\r\nX-Round: two\r\n');
  });

  it("refuses a stream header value that would break the head, saying which, before taking the socket", async () => {
    const { res, client } = await request();
    expect(() => startStream(res, { ...HEADERS, 'X-Bad': 'a\r\nInjected: 1' })).toThrow(
      'expected the value of the header "X-Bad" without control characters, got "a\\r\\nInjected: 1"',
    );
    // A long value is shown by its first 80 characters.
    expect(() => startStream(res, { 'X-Long': `${'x'.repeat(100)}\n` })).toThrow(`got "${'x'.repeat(80)}"`);
    // The response can still answer.
    res.statusCode = 500;
    res.end();
    await waitUntil(() => client.bytes().includes('HTTP/1.1 500'), () => 'expected the 500 answer');
  });

  it('writes the headers set on the response before, as set, except those it writes itself or the stream sets', async () => {
    const { res, client } = await request({
      prepare: (res) => {
        res.setHeader('X-Request-Id', 'r1');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('Content-Length', '10');
        res.setHeader('Date', 'yesterday');
        res.setHeader('content-type', 'text/plain');
      },
    });
    const out = startStream(res, HEADERS);
    out.end();
    await client.closed;
    const lines = chunksOf(client.bytes()).head.split('\r\n');
    expect(lines).toContain('X-Request-Id: r1');
    expect(lines.filter((l) => l.startsWith('Set-Cookie: '))).toEqual(['Set-Cookie: a=1', 'Set-Cookie: b=2']);
    expect(lines.filter((l) => /^content-type:/i.test(l))).toEqual(['Content-Type: text/event-stream; charset=utf-8']);
    expect(lines.filter((l) => /^content-length:/i.test(l))).toEqual([]);
    expect(lines.filter((l) => /^date:/i.test(l))).toEqual([expect.stringMatching(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)]);
    expect(lines.filter((l) => /^(connection|transfer-encoding):/i.test(l))).toEqual(['Connection: close', 'Transfer-Encoding: chunked']);
  });

  it('refuses a header name that is not a token, saying which, before taking the socket', async () => {
    const { res, client } = await request();
    expect(() => startStream(res, { 'Bad Name': 'x' })).toThrow('expected a header name made of token characters, got "Bad Name"');
    // The response still answers.
    res.writeHead(500).end();
    await waitUntil(() => client.bytes().toString('latin1').startsWith('HTTP/1.1 500 '), () => 'expected the 500 answer');
  });

  it('answers false once the socket pushes back, fires drain once the reader catches up, and stops firing after off', async () => {
    const { res, client } = await request({ paused: true });
    const out: StreamOutput = startStream(res, HEADERS);
    // Below the high-water mark: write() answers false only once bytes pile up here.
    const frame = Buffer.alloc(16 * 1024, 'z');
    let writes = 0;
    while (out.write(frame)) if (++writes > 10_000) throw new Error('expected the socket to push back');
    expect(out.writableLength).toBeGreaterThan(0);
    let drains = 0;
    const onDrain = (): void => void drains++;
    out.on('drain', onDrain);
    let got = 0;
    client.socket.on('data', (d: Buffer) => (got += d.length));
    client.socket.resume();
    await waitUntil(() => drains === 1, () => `expected one drain, got ${drains} after ${got} bytes`);
    expect(out.writableLength).toBe(0);
    out.off('drain', onDrain);
    client.socket.pause();
    while (out.write(frame)) if (++writes > 20_000) throw new Error('expected the socket to push back again');
    client.socket.resume();
    await waitUntil(() => out.writableLength === 0, () => 'expected the socket to take the rest');
    // Give the drain event a turn to fire, had the listener stayed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(drains).toBe(1);
    out.end();
    await client.closed;
  });

  it('destroy drops what is unsent: the client sees the connection close without the last chunk', async () => {
    const { res, client } = await request({ paused: true });
    const out = startStream(res, HEADERS);
    let written = 0;
    for (let room = true; room; written += 16 * 1024) room = out.write(Buffer.alloc(16 * 1024, 'q'));
    expect(out.writableLength).toBeGreaterThan(0);
    out.destroy();
    const parts: Buffer[] = [];
    client.socket.on('data', (d: Buffer) => parts.push(d));
    client.socket.resume();
    await client.closed;
    const body = Buffer.concat(parts);
    expect(body.subarray(-5).toString('latin1')).not.toBe('0\r\n\r\n');
    // What this process still held never left it.
    expect(body.toString('latin1').match(/q/g)?.length ?? 0).toBeLessThan(written);
    // Ending after a destroy is harmless.
    expect(() => out.end()).not.toThrow();
  });
});

describe('httpDate', () => {
  it('is the time in whole seconds as HTTP writes it, the same text within a second and the next one after', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(httpDate(at)).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(httpDate(at + 999)).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(httpDate(at + 1000)).toBe('Fri, 02 Jan 2026 03:04:06 GMT');
    expect(httpDate(Date.UTC(1999, 11, 31, 23, 59, 59, 500))).toBe('Fri, 31 Dec 1999 23:59:59 GMT');
  });
});
