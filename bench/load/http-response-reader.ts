// Reads one HTTP/1.1 response from a raw socket: the head, then the body with
// `Transfer-Encoding: chunked` removed (RFC 9112 section 7.1), handed on in pieces as
// they arrive. The generator uses raw sockets rather than `http.request` so that
// 10,000 subscribers cost the client as little as possible.

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

export interface ResponseListener {
  onHead(head: ResponseHead): void;
  /** Body bytes `data[start..end)`; passed as a range so no view is allocated per read. */
  onBody(data: Uint8Array, start: number, end: number): void;
  onError(message: string): void;
}

type State = 'head' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'raw' | 'done' | 'failed';

export class HttpResponseReader {
  private state: State = 'head';
  private pending: Buffer = Buffer.alloc(0);
  private chunkLeft = 0;
  private readonly listener: ResponseListener;

  constructor(listener: ResponseListener) {
    this.listener = listener;
  }

  feed(bytes: Buffer): void {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
    this.pending = Buffer.alloc(0);
    let i = 0;
    while (i < data.length) {
      switch (this.state) {
        case 'head': {
          const end = data.indexOf(HEAD_END, i);
          if (end === -1) {
            if (data.length - i > MAX_HEAD_BYTES) return this.fail(`response head longer than ${MAX_HEAD_BYTES} bytes`);
            this.pending = Buffer.from(data.subarray(i));
            return;
          }
          const head = parseHead(data.toString('latin1', i, end));
          if (head === null) return this.fail(`expected an HTTP/1.1 status line, got ${JSON.stringify(data.toString('latin1', i, Math.min(end, i + 40)))}`);
          const chunked = (head.headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
          this.state = chunked ? 'chunk-size' : 'raw';
          i = end + HEAD_END.length;
          this.listener.onHead(head);
          break;
        }
        case 'chunk-size': {
          const end = data.indexOf(CRLF, i);
          if (end === -1) {
            if (data.length - i > 1024) return this.fail('chunk-size line longer than 1024 bytes');
            this.pending = Buffer.from(data.subarray(i));
            return;
          }
          const size = parseChunkSize(data, i, end);
          if (size === null) {
            return this.fail(`expected a hexadecimal chunk size, got ${JSON.stringify(data.toString('latin1', i, end))}`);
          }
          i = end + CRLF.length;
          if (size === 0) {
            this.state = 'done';
            return;
          }
          this.chunkLeft = size;
          this.state = 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.chunkLeft, data.length - i);
          this.listener.onBody(data, i, i + take);
          this.chunkLeft -= take;
          i += take;
          if (this.chunkLeft === 0) this.state = 'chunk-end';
          break;
        }
        case 'chunk-end': {
          if (data.length - i < CRLF.length) {
            this.pending = Buffer.from(data.subarray(i));
            return;
          }
          if (data[i] !== 0x0d || data[i + 1] !== 0x0a) return this.fail('expected CRLF after a chunk');
          i += CRLF.length;
          this.state = 'chunk-size';
          break;
        }
        case 'raw':
          this.listener.onBody(data, i, data.length);
          return;
        case 'done':
        case 'failed':
          return;
      }
    }
  }

  private fail(message: string): void {
    this.state = 'failed';
    this.listener.onError(message);
  }
}

function parseHead(text: string): ResponseHead | null {
  const lines = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!match) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), headers };
}

/** The hexadecimal size at the start of a chunk-size line; a chunk extension (`;name=value`) after it is ignored. */
function parseChunkSize(data: Uint8Array, start: number, end: number): number | null {
  let size = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const byte = data[i] as number;
    let value: number;
    if (byte >= 0x30 && byte <= 0x39) value = byte - 0x30;
    else if (byte >= 0x61 && byte <= 0x66) value = byte - 0x61 + 10;
    else if (byte >= 0x41 && byte <= 0x46) value = byte - 0x41 + 10;
    else if (byte === 0x3b || byte === 0x20 || byte === 0x09) break;
    else return null;
    size = size * 16 + value;
    if (++digits > 12) return null;
  }
  return digits > 0 ? size : null;
}
