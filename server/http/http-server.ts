// The node:http server with Herald's connection-level limits: header size, the time
// a client may take to send its headers and its whole request, idle keep-alive
// connections; and a JSON answer (`{error, code}`, like every other refusal) when
// Node's parser gives up on a request before any handler sees it.
//
// Node enforces headersTimeout and requestTimeout from a periodic sweep
// (`connectionsCheckingInterval`, 30 s by default), so the sweep runs every second
// here, or a 10 s limit could take 40. requestTimeout only runs until the request is
// fully received, so SSE responses, which last as long as the client stays, are
// never cut by it (https://nodejs.org/api/http.html#serverrequesttimeout).

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../protocol/events.ts';
import { ERROR_STATUS, HeraldError, type ErrorCode } from '../protocol/errors.ts';
import { sendError } from './respond.ts';
import { closeTakenOver } from './socket-takeover.ts';
import type { ServerLimits } from '../server-limits.ts';

// node:http is loaded with require, not `import`: an ES import builds its whole
// namespace, whose lazy WebSocket getter loads Node's bundled undici, ~6 MiB of an
// idle server (nodejs/node#59686; bench/results/findings.md).
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

export type HttpLimits = Pick<ServerLimits, 'maxHeaderBytes' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

const REASON: Partial<Record<number, string>> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

export function createHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void, limits: HttpLimits): Server {
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    handler,
  );
  // Event streams leave node:http once they begin (socket-takeover.ts); closing every
  // connection must still close them.
  const closeAllConnections = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAllConnections();
    closeTakenOver(server);
  };
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, limits));
  // Without these listeners Node answers an unknown Expect with a bare 417 and closes
  // a CONNECT without a word; both get the JSON every other refusal has.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    sendError(res, new HeraldError('expectation_failed', `expected no Expect header or "100-continue", got ${JSON.stringify(String(req.headers.expect).slice(0, 40))}`));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    writeRaw(socket, 'method_not_allowed', 'expected GET, POST or DELETE; this server is not a proxy, got CONNECT');
  });
  return server;
}

/** What Node's parser or its timeouts reject, as status, code and message. */
export function describeClientError(error: NodeJS.ErrnoException, limits: HttpLimits): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'headers_too_large',
        message: `expected a request line and headers of at most ${limits.maxHeaderBytes} bytes, got more; ask for fewer topics per connection or send smaller headers`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        code: 'request_timeout',
        message: `expected the headers within ${limits.headersTimeoutMs / 1000} s and the whole request within ${limits.requestTimeoutMs / 1000} s, got neither`,
      };
    default:
      return { code: 'bad_request', message: `expected an HTTP/1.1 request, got one Node could not parse (${error.code ?? error.message})` };
  }
}

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, limits: HttpLimits): void {
  // As Node's own default handler does: say nothing on a reset connection, or once a
  // response has started (writing a second status line would corrupt it).
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (error.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const { code, message } = describeClientError(error, limits);
  writeRaw(socket, code, message);
}

/** A whole JSON error answer written straight to the socket, which is then closed. */
function writeRaw(socket: Duplex, code: ErrorCode, message: string): void {
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ error: message, code } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${REASON[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
