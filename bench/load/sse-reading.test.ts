import { describe, expect, it } from 'vitest';
import { HttpResponseReader } from './http-response-reader.ts';
import { MarkerScanner, encodeMarker } from './marker.ts';
import { idAfter } from './replay-client.ts';

function chunked(parts: readonly string[]): Buffer {
  const body = parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('');
  return Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${body}0\r\n\r\n`);
}

function frame(id: number, body: string): string {
  return `id: ${id}\nevent: notify\ndata: {"topic":"bench","time":1,"body":"${body}","priority":3,"tags":[]}\n\n`;
}

/** Feeds `bytes` in the given pieces and returns the status and every marker found. */
function read(pieces: readonly Buffer[]): { status: number | null; markers: string[]; malformed: number } {
  const markers: string[] = [];
  let status: number | null = null;
  const scanner = new MarkerScanner((step, seq, sentUs) => markers.push(`${step}:${seq}:${sentUs}`));
  const reader = new HttpResponseReader({
    onHead: (head) => (status = head.status),
    onBody: (data, start, end) => scanner.feed(data, start, end),
    onError: (message) => {
      throw new Error(message);
    },
  });
  for (const piece of pieces) reader.feed(piece);
  return { status, markers, malformed: scanner.malformed };
}

describe('reading SSE responses in the load generator', () => {
  const response = chunked([
    'retry: 2000\n\n',
    frame(1, encodeMarker(1, 0, 1700000000000001)) + frame(2, encodeMarker(1, 1, 1700000000000002)),
    ': hb\n\n',
    frame(3, `not a marker ~ here ${encodeMarker(2, 17, 1700000000000003)}`),
  ]);
  const expected = ['1:0:1700000000000001', '1:1:1700000000000002', '2:17:1700000000000003'];

  it('finds every marker when the response arrives in one read', () => {
    expect(read([response])).toEqual({ status: 200, markers: expected, malformed: 1 });
  });

  it('finds every marker whatever byte the response is split at', () => {
    for (let at = 1; at < response.length; at++) {
      const result = read([response.subarray(0, at), response.subarray(at)]);
      expect(result.markers, `split at byte ${at}`).toEqual(expected);
    }
  });

  it('finds every marker when the response arrives one byte at a time', () => {
    const bytes = [...response].map((b) => Buffer.from([b]));
    expect(read(bytes).markers).toEqual(expected);
  });

  it('reads a body sent without chunked encoding as it is', () => {
    const raw = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n${frame(9, encodeMarker(3, 4, 5))}`);
    expect(read([raw]).markers).toEqual(['3:4:5']);
  });

  it('orders numeric and stream-style ids by number, other ids as text', () => {
    expect(idAfter('10', '9')).toBe(true);
    expect(idAfter('9', '10')).toBe(false);
    expect(idAfter('10', '10')).toBe(false);
    expect(idAfter('1700000000000-12', '1700000000000-9')).toBe(true);
    expect(idAfter('b', 'a')).toBe(true);
  });
});
