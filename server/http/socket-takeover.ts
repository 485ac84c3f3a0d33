// Taking an event stream's socket over from node:http once its request head has been
// read, checked and authorised, the way Node itself hands a socket to an 'upgrade'
// listener: node:http's listeners come off the socket and its parser is freed, so
// the parser, the IncomingMessage and the ServerResponse become garbage, and an idle
// stream costs little more than its socket (bench/results/subscriber-memory.md).
//
// Node has no public call for this outside an upgrade. It uses two internals, both
// checked before anything is touched: `freeParser` of node:http's common module, and
// its per-connection socket listeners, found by function name. When either is
// missing (another Node), or the socket holds more than this one request (a request
// pipelined behind it, a body still arriving), nothing is changed and null says so:
// the stream is then written through the ServerResponse, as before.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/** What of node:http's internals the takeover needs. */
export interface HttpInternals {
  freeParser?: (parser: unknown, req: IncomingMessage | null, socket: Socket | null) => void;
}

function loadInternals(): HttpInternals {
  try {
    const common = createRequire(import.meta.url)('_http_common') as HttpInternals;
    return typeof common.freeParser === 'function' ? { freeParser: common.freeParser } : {};
  } catch {
    return {};
  }
}

export const NODE_HTTP_INTERNALS: HttpInternals = loadInternals();

/**
 * node:http's listeners on a server socket, by event and
 * function name: they hold its parser and per-connection state. Its 'timeout',
 * 'pause' and 'resume' listeners hold nothing and stay.
 */
const HTTP_LISTENERS: ReadonlyArray<readonly [string, string]> = [
  ['data', 'bound socketOnData'],
  ['end', 'bound socketOnEnd'],
  ['close', 'bound socketOnClose'],
  ['drain', 'bound socketOnDrain'],
  ['error', 'socketOnError'],
];
/** Socket methods node:http overrides on the instance while its parser owns the socket (it puts them back the same way). */
const OVERRIDDEN = ['on', 'addListener', 'prependListener'] as const;

/** Taken-over sockets still open, per server, for closeTakenOver. */
const takenOver = new WeakMap<object, Set<Socket>>();

/**
 * Destroy every socket taken over from `server`: node:http no longer lists them, so
 * its closeAllConnections does not reach them (createHttpServer calls this from it).
 */
export function closeTakenOver(server: Server): void {
  for (const socket of takenOver.get(server) ?? []) socket.destroy();
}

interface HttpParser {
  incoming: unknown;
  finish(): unknown;
}

/**
 * Detach `req`'s socket from node:http and return it, or null (nothing changed) when
 * that cannot be done safely. `res` must not have sent anything yet. Listeners of
 * the response's 'close' move to the socket's, so whatever waits for the response
 * to close (a subscriber slot) still hears it.
 */
export function takeOverSocket(req: IncomingMessage, res: ServerResponse, internals: HttpInternals = NODE_HTTP_INTERNALS): Socket | null {
  const { freeParser } = internals;
  const socket = req.socket as Socket & { parser?: HttpParser | null; _httpMessage?: unknown; server?: object };
  const parser = socket.parser;
  if (freeParser === undefined || res.headersSent || !req.complete || socket.destroyed) return null;
  // Another request already parsed behind this one, or this response queued behind another.
  if (parser == null || parser.incoming !== req || socket._httpMessage !== res) return null;
  const found: Array<[string, (...args: unknown[]) => void]> = [];
  for (const [event, name] of HTTP_LISTENERS) {
    const listener = socket.listeners(event).find((l) => l.name === name) as ((...args: unknown[]) => void) | undefined;
    if (listener === undefined) return null;
    found.push([event, listener]);
  }

  // The stream's listeners go on before node:http's come off, so that no event's
  // listener list empties: an emptied one is deleted from the socket's _events,
  // which turns that object into a slower, larger dictionary.
  for (const listener of res.listeners('close') as Array<() => void>) socket.on('close', listener);
  res.removeAllListeners('close');
  socket.on('close', forgetTakenOver);
  // Errors end in 'close', which the stream's owner hears; without a listener they would throw.
  socket.on('error', ignore);
  // The stream reads nothing more: bytes a client sends after the head are dropped,
  // but reading goes on so that a reset or a close is seen.
  socket.on('data', ignore);
  // As node:http does (its httpAllowHalfOpen is off): a client that ends its side is gone.
  socket.on('end', endSocket);
  socket.on('drain', ignore);
  for (const [event, listener] of found) socket.removeListener(event, listener);
  res.detachSocket(socket);
  parser.finish();
  freeParser(parser, req, socket);
  // Assigned, not deleted: a delete would turn the socket into a dictionary object.
  for (const method of OVERRIDDEN) if (Object.hasOwn(socket, method)) socket[method] = Object.getPrototypeOf(socket)[method];
  // A keep-alive timer of an earlier request on this connection must not cut the stream.
  socket.setTimeout(0);
  socket.resume();
  if (socket.server !== undefined) {
    let open = takenOver.get(socket.server);
    if (open === undefined) takenOver.set(socket.server, (open = new Set()));
    open.add(socket);
  }
  return socket;
}

function ignore(): void {}

function endSocket(this: Socket): void {
  this.end();
}

function forgetTakenOver(this: Socket & { server?: object }): void {
  if (this.server !== undefined) takenOver.get(this.server)?.delete(this);
}
