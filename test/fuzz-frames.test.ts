// Fuzzing the SSE frame encoder against eventsource-parser (the parser the
// eventsource client uses). What goes over the wire is bytes, so each frame is
// encoded to UTF-8, cut at random points and fed back through a streaming decoder,
// as a socket would deliver it. The property: any id, event and data either comes
// back exactly (data with its line endings as LF) or is refused with a HeraldError,
// and nothing a field holds ever becomes another field, comment, retry or message.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { encodeFrame } from '../server/protocol/frames.ts';
import { HeraldError } from '../server/protocol/errors.ts';

interface Parsed {
  messages: EventSourceMessage[];
  comments: string[];
  retries: number[];
}

/** Parse `text` as a socket would deliver it: UTF-8 bytes, in chunks cut at `cuts`. */
function parseOverWire(text: string, cuts: number[] = []): Parsed {
  const out: Parsed = { messages: [], comments: [], retries: [] };
  const parser = createParser({
    onEvent: (m) => out.messages.push(m),
    onComment: (c) => out.comments.push(c),
    onRetry: (r) => out.retries.push(r),
  });
  const bytes = Buffer.from(text, 'utf8');
  const decoder = new TextDecoder('utf-8');
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    parser.feed(decoder.decode(bytes.subarray(start, cut), { stream: true }));
    start = cut;
  }
  parser.feed(decoder.decode(bytes.subarray(start)));
  return out;
}

/** Characters that stress a line-based format, mixed with anything at all. */
const tricky = fc.constantFrom(
  '\r', '\n', '\r\n', '\0', ':', ' ', 'data:', 'id: 1', 'event: end', 'retry: 1', '\uFEFF', 'é', '😀',
  '\uD800', '\uDC00', '\u2028', '\u0085', 'x',
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\r\n', 'a', ' '), maxLength: 12 }),
);
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What the encoder must refuse, and nothing else. */
function mustRefuse(fields: { id?: string; event?: string; data: string }): boolean {
  const brokenField = (v: string | undefined) => v !== undefined && (/[\r\n\0]/.test(v) || LONE_SURROGATE.test(v));
  return brokenField(fields.id) || brokenField(fields.event) || fields.event === '' || LONE_SURROGATE.test(fields.data);
}

function expectedMessage(fields: { id?: string; event?: string; data: string }): EventSourceMessage {
  return { id: fields.id, event: fields.event, data: fields.data.replace(/\r\n|\r/g, '\n') } as EventSourceMessage;
}

function withoutUndefined(message: EventSourceMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
}

describe('SSE frame encoder, fuzzed against eventsource-parser', () => {
  it('round-trips any id, event and data, or refuses them with a HeraldError; no field is ever injected', () => {
    const fields = fc.record({ id: anyString, event: anyString, data: anyString }, { requiredKeys: ['data'] });
    fc.assert(
      fc.property(fields, cuts, (frame, at) => {
        let text: string;
        try {
          text = encodeFrame(frame);
        } catch (error) {
          expect(error).toBeInstanceOf(HeraldError);
          expect((error as HeraldError).code).toBe('bad_request');
          expect(mustRefuse(frame)).toBe(true);
          return;
        }
        expect(mustRefuse(frame)).toBe(false);
        const parsed = parseOverWire(text, at);
        expect(parsed.comments).toEqual([]);
        expect(parsed.retries).toEqual([]);
        expect(parsed.messages.map(withoutUndefined)).toEqual([withoutUndefined(expectedMessage(frame))]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a run of frames apart: each comes back as its own message, in order', () => {
    const safe = fc.string({ unit: fc.constantFrom('a', ' ', ':', '\uFEFF', '😀'), maxLength: 8 });
    const frame = fc.record({ id: safe, event: safe.filter((s) => s !== ''), data: anyString.filter((d) => !LONE_SURROGATE.test(d)) });
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), cuts, (frames, at) => {
        const parsed = parseOverWire(frames.map((f) => encodeFrame(f)).join(''), at);
        expect(parsed.messages.map(withoutUndefined)).toEqual(frames.map((f) => withoutUndefined(expectedMessage(f))));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips data made of any mix of CR, LF and CRLF, the line endings arriving as LF', () => {
    const lines = fc.string({ unit: fc.constantFrom('\r', '\n', '\r\n', 'x', ''), maxLength: 30 });
    fc.assert(
      fc.property(lines, cuts, (data, at) => {
        const parsed = parseOverWire(encodeFrame({ id: '1', event: 'notify', data }), at);
        expect(parsed.messages).toHaveLength(1);
        expect(parsed.messages[0]!.data).toBe(data.replace(/\r\n|\r/g, '\n'));
      }),
      { numRuns: 500 },
    );
  });

  // Findings, kept as the minimal counterexamples fast-check reported.
  it('refuses an empty event name, which a client would dispatch as "message" (found by fuzzing)', () => {
    expect(() => encodeFrame({ event: '', data: '' })).toThrow(HeraldError);
    expect(() => encodeFrame({ event: '', data: '' })).toThrow(/event name may not be empty/);
  });

  it('refuses a lone surrogate, which UTF-8 would turn into U+FFFD (found by fuzzing)', () => {
    expect(() => encodeFrame({ data: '\uD800' })).toThrow(/well-formed Unicode/);
    expect(() => encodeFrame({ id: '\uDC00', data: '' })).toThrow(/SSE id must be well-formed/);
    expect(() => encodeFrame({ event: 'a\uD800', data: '' })).toThrow(/SSE event must be well-formed/);
    // A proper pair is fine.
    expect(parseOverWire(encodeFrame({ data: '😀' })).messages[0]!.data).toBe('😀');
  });
});
