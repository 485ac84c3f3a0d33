// The frame encoder, checked by parsing its output back with eventsource-parser (the
// parser the eventsource client uses), so "valid SSE" is judged by a real parser.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { encodeComment, encodeEvent, encodeFrame, encodeRetry } from './frames.ts';
import { HeraldError } from './errors.ts';
import type { HeraldEvent } from './events.ts';

function parse(text: string): { messages: EventSourceMessage[]; comments: string[]; retries: number[] } {
  const out = { messages: [] as EventSourceMessage[], comments: [] as string[], retries: [] as number[] };
  const parser = createParser({
    onEvent: (m) => out.messages.push(m),
    onComment: (c) => out.comments.push(c),
    onRetry: (r) => out.retries.push(r),
  });
  parser.feed(text);
  return out;
}

describe('encodeFrame', () => {
  it('splits data on LF, CRLF and CR, which the parser joins back with LF', () => {
    const { messages } = parse(encodeFrame({ id: '7', event: 'notify', data: 'one\ntwo\r\nthree\rfour' }));
    expect(messages).toEqual([{ id: '7', event: 'notify', data: 'one\ntwo\nthree\nfour' }]);
  });

  it('keeps empty lines and a trailing line break inside data', () => {
    const { messages } = parse(encodeFrame({ data: '\nmiddle\n\n' }));
    expect(messages.map((m) => m.data)).toEqual(['\nmiddle\n\n']);
  });

  it.each(['a\nb', 'a\rb', 'a\0b', '\n'])('refuses an id or event containing %j', (bad) => {
    expect(() => encodeFrame({ id: bad, data: 'x' })).toThrow(HeraldError);
    expect(() => encodeFrame({ id: bad, data: 'x' })).toThrow(/an SSE id may not contain CR, LF or NUL/);
    expect(() => encodeFrame({ event: bad, data: 'x' })).toThrow(/an SSE event may not contain CR, LF or NUL/);
  });

  it('refuses a lone surrogate in data, naming the field and showing at most 80 characters', () => {
    const data = `${'x'.repeat(100)}\uD800`;
    const error = (() => {
      try {
        encodeFrame({ data });
      } catch (e) {
        return e as HeraldError;
      }
      throw new Error('expected encodeFrame to refuse a lone surrogate');
    })();
    expect(error).toBeInstanceOf(HeraldError);
    expect(error.code).toBe('bad_request');
    expect(error.message).toBe(
      `an SSE data must be well-formed Unicode (UTF-8 cannot carry a lone surrogate), got ${JSON.stringify('x'.repeat(80))}`,
    );
    expect(() => encodeFrame({ id: '\uDC00', data: '' })).toThrow(/^an SSE id must be well-formed Unicode/);
  });

  it('round-trips any data, id and event through the parser', () => {
    const field = fc.string({ maxLength: 20 }).filter((s) => !/[\r\n\0]/.test(s) && s.length > 0);
    fc.assert(
      fc.property(field, field, fc.string({ maxLength: 200 }), (id, event, data) => {
        const { messages } = parse(encodeFrame({ id, event, data }));
        expect(messages).toEqual([{ id, event, data: data.replace(/\r\n|\r/g, '\n') }]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeEvent', () => {
  it('round-trips a Herald event with a multi-line body as one JSON data line', () => {
    const event: HeraldEvent = {
      id: '42',
      type: 'notify',
      data: { topic: 'a/b', time: 1_700_000_000_000, body: 'line 1\nline 2\r\n\u2028end', priority: 3, tags: ['x'] },
    };
    const text = encodeEvent(event);
    expect(text.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
    const { messages } = parse(text);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.id).toBe('42');
    expect(messages[0]!.event).toBe('notify');
    expect(JSON.parse(messages[0]!.data)).toEqual(event.data);
  });

  it('refuses an event whose id would inject a field', () => {
    const event = { id: '1\nevent: end', type: 'notify', data: { topic: 'a', time: 0, body: '', priority: 3, tags: [] } } as HeraldEvent;
    expect(() => encodeEvent(event)).toThrow(/CR, LF or NUL/);
  });
});

describe('comments and retry', () => {
  it('encodes each comment line so none of it becomes a field', () => {
    const { comments, messages } = parse(encodeComment('hb\ndata: injected'));
    expect(comments).toEqual(['hb', 'data: injected']);
    expect(messages).toEqual([]);
  });

  it('ends a comment with a blank line, so it is a message block of its own like every frame', () => {
    expect(encodeComment('hb')).toBe(': hb\n\n');
    expect(encodeComment('a\r\nb')).toBe(': a\n: b\n\n');
  });

  it('encodes retry as a whole number of milliseconds, zero included, and refuses anything else as a bad request', () => {
    expect(parse(encodeRetry(2000)).retries).toEqual([2000]);
    expect(encodeRetry(0)).toBe('retry: 0\n\n');
    expect(() => encodeRetry(1.5)).toThrow('expected retry to be a non-negative integer of milliseconds, got 1.5');
    for (const bad of [-1, Number.NaN]) {
      try {
        encodeRetry(bad);
        throw new Error(`expected encodeRetry(${bad}) to throw`);
      } catch (error) {
        expect(error).toBeInstanceOf(HeraldError);
        expect((error as HeraldError).code).toBe('bad_request');
      }
    }
  });
});
