// Reading ntfy's lines and plain SSE events as Herald events (ntfy-event.ts,
// sse-text-event.ts, through the event vocabulary): the mapping, field by field, and
// properties over any input: nothing throws, every message that comes out is a valid
// notify event, every note and problem says what was expected.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEventData } from './event-validation.ts';
import { compileSseTemplates, describeEvent, NTFY_TOPIC, readNtfyLine, readNtfyMessage, sseTextEvent } from './event-vocabulary.ts';
import { emojiOfTag } from './ntfy-emoji.ts';

const RUNS = { numRuns: 400 };
const base = { id: 'abc123XYZ789', time: 1700000000, event: 'message', topic: 'alerts' };

function message(extra: Record<string, unknown>) {
  const line = readNtfyMessage({ ...base, ...extra });
  if (line.kind !== 'message') throw new Error(`not a message: ${JSON.stringify(line)}`);
  return line;
}

describe('an ntfy line', () => {
  it('maps a full message onto a notify event', () => {
    const line = message({
      title: 'Backup',
      message: '**done**',
      priority: 4,
      tags: ['white_check_mark', 'nightly'],
      click: 'https://backup.example/run/7',
      icon: 'https://backup.example/icon.png',
      content_type: 'text/markdown',
      attachment: { name: 'log.txt', url: 'https://backup.example/log.txt' },
      actions: [
        { id: 'a1', action: 'view', label: 'Open run', url: 'https://backup.example/run/7', clear: true },
        { id: 'a2', action: 'http', label: 'Retry', url: 'https://backup.example/retry', method: 'POST' },
        { id: 'a3', action: 'broadcast', label: 'Tell Android', intent: 'x' },
        { id: 'a4', action: 'view', label: 'Shell', url: 'file:///etc/passwd' },
      ],
    });
    expect(line).toEqual({
      kind: 'message',
      notes: [],
      event: {
        id: 'abc123XYZ789',
        type: 'notify',
        data: {
          topic: 'alerts',
          time: 1700000000000,
          title: 'Backup',
          body: '**done**',
          priority: 4,
          tags: ['white_check_mark', 'nightly'],
          click: 'https://backup.example/run/7',
          icon: 'https://backup.example/icon.png',
          markdown: true,
          actions: [{ action: 'view', label: 'Open run', url: 'https://backup.example/run/7' }],
        },
      },
    });
    expect(describeEvent(line.event)).toMatchObject({ level: 'warn', urgency: 'normal', title: '✅ Backup' });
  });

  it('keeps the tags as data and says their emoji before the body when there is no title; the default priority is 3 (absent or 0)', () => {
    const line = message({ message: 'Disk full', tags: ['warning', 'skull', 'db'] });
    expect(line.event.data).toEqual({ topic: 'alerts', time: 1700000000000, body: 'Disk full', priority: 3, tags: ['warning', 'skull', 'db'] });
    expect(describeEvent(line.event)).toMatchObject({ title: 'alerts', body: '⚠️ 💀 Disk full' });
    expect(message({ priority: 0 }).event.data).toMatchObject({ body: '', priority: 3 });
    expect(describeEvent(message({ tags: ['tada'] }).event).body).toBe('🎉');
  });

  it('says a binary message instead of showing its base64', () => {
    expect(message({ message: 'aGVsbG8gd29ybGQ=', encoding: 'base64' }).event.data.body).toBe('(a binary message of 11 bytes, not shown)');
  });

  it('reads open, keepalive, poll_request and unknown events', () => {
    expect(readNtfyLine('{"id":"x","time":1635528757,"event":"open","topic":"a,b"}')).toEqual({ kind: 'open', time: 1635528757000 });
    expect(readNtfyLine('{"id":"x","time":1635528787,"event":"keepalive","topic":"a"}')).toEqual({ kind: 'keepalive', time: 1635528787000 });
    expect(readNtfyLine('{"id":"x","time":1,"event":"poll_request","topic":"a","poll_id":"m1"}')).toEqual({ kind: 'poll_request', topic: 'a', pollId: 'm1' });
    expect(readNtfyLine('{"id":"x","time":1,"event":"message_delete","topic":"a"}')).toEqual({ kind: 'other', event: 'message_delete' });
  });

  it('refuses a line without what every message needs, saying what arrived', () => {
    expect(readNtfyLine('{"id":"x","time":1,"topic":"a"}')).toEqual({ kind: 'invalid', problem: 'expected an ntfy message with an "event", got nothing' });
    expect(readNtfyLine('{"time":1,"event":"message","topic":"a"}')).toEqual({ kind: 'invalid', problem: 'expected an ntfy message "id" (1 to 200 visible characters), got nothing' });
    expect(readNtfyLine('{"id":"x","time":"soon","event":"message","topic":"a"}')).toEqual({ kind: 'invalid', problem: 'expected "time" of the ntfy message in Unix seconds, got "soon"' });
    expect(readNtfyLine(`"${'x'.repeat(200)}"`)).toEqual({ kind: 'invalid', problem: `expected an ntfy message object, got "${'x'.repeat(40)}…"` });
    expect(readNtfyLine(`{${'y'.repeat(200)}`)).toEqual({ kind: 'invalid', problem: `expected an ntfy message as JSON, got "{${'y'.repeat(39)}…"` });
  });

  it('knows the emoji of common short codes, and nothing for other tags or inherited names', () => {
    expect(['+1', 'rotating_light', 'white_check_mark', 'warning', 'skull', 'partying_face'].map(emojiOfTag)).toEqual(['👍', '🚨', '✅', '⚠️', '💀', '🥳']);
    expect(['db', 'constructor', '__proto__', 'toString'].map(emojiOfTag)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('ntfy topic names (what settings and herald watch accept to subscribe to)', () => {
  it('are 1 to 64 letters, digits, "-" or "_"', () => {
    for (const name of ['a', 'phil_alerts', 'A-z_09', 'x'.repeat(64)]) expect(NTFY_TOPIC.test(name), name).toBe(true);
  });

  it('refuse an empty or longer name, and any other character anywhere in it', () => {
    for (const name of ['', 'x'.repeat(65), 'a/b', 'a,b', ' alerts', 'alerts ', 'alerts\n', 'café', '*']) {
      expect(NTFY_TOPIC.test(name), JSON.stringify(name)).toBe(false);
    }
  });
});

describe('an ntfy line, field by field', () => {
  // Shapes as ntfy's subscribe API writes them (docs/subscribe/api.md, test/fixtures/ntfy/).
  const note = (field: string, expected: string, got: string) => `ntfy message abc123XYZ789: left out "${field}": expected ${expected}, got ${got}`;
  const invalid = (extra: Record<string, unknown>) => {
    const line = readNtfyMessage({ ...base, ...extra });
    if (line.kind !== 'invalid') throw new Error(`not refused: ${JSON.stringify(line)}`);
    return line.problem;
  };

  it('takes a minimal message as it is, with no note and no field it did not have', () => {
    const line = readNtfyLine('{"id":"hwQ2YpKdmg","time":1635528741,"event":"message","topic":"mytopic"}');
    expect(line).toStrictEqual({ kind: 'message', notes: [], event: { id: 'hwQ2YpKdmg', type: 'notify', data: { topic: 'mytopic', time: 1635528741000, body: '', priority: 3, tags: [] } } });
    expect(message({ priority: 0, message: 'x' }).notes).toEqual([]);
  });

  it('refuses an empty event name, a time that is not a finite, non-negative number of seconds, or one too far to be a time', () => {
    expect(invalid({ event: '' })).toBe('expected an ntfy message with an "event", got ""');
    expect(readNtfyMessage({ ...base, event: 'open', time: -1 })).toEqual({ kind: 'invalid', problem: 'expected "time" of the ntfy open in Unix seconds, got -1' });
    expect(readNtfyMessage({ ...base, event: 'open', time: Infinity })).toEqual({ kind: 'invalid', problem: 'expected "time" of the ntfy open in Unix seconds, got Infinity' });
    expect(readNtfyMessage({ ...base, event: 'keepalive', time: 0 })).toEqual({ kind: 'keepalive', time: 0 });
    expect(invalid({ time: 1e16 })).toBe('ntfy message abc123XYZ789 cannot be shown: expected "time" in epoch milliseconds, got 10000000000000000000');
  });

  it('cuts the name of an event type it does not know', () => {
    expect(readNtfyMessage({ ...base, event: 'e'.repeat(100) })).toEqual({ kind: 'other', event: 'e'.repeat(80) });
  });

  it('refuses a topic that is not a string', () => {
    expect(invalid({ topic: 5 })).toBe('expected the ntfy message\'s "topic" to be a topic name, got 5');
  });

  it('refuses a message or a poll request whose topic is a string but no topic name', () => {
    expect(invalid({ topic: '../x' })).toBe('expected the ntfy message\'s "topic" to be a topic name, got "../x"');
    expect(readNtfyMessage({ ...base, event: 'poll_request', topic: 'a b' })).toEqual({
      kind: 'invalid',
      problem: 'expected the ntfy poll_request\'s "topic" to be a topic name, got "a b"',
    });
  });

  it('reads a poll request without a usable poll_id as one for the whole topic', () => {
    const poll = (extra: Record<string, unknown>) => readNtfyMessage({ id: '371sevb0pD', time: 1638542275, event: 'poll_request', topic: 'phil_alerts', ...extra });
    expect([poll({}), poll({ poll_id: '' }), poll({ poll_id: 7 })]).toEqual(Array(3).fill({ kind: 'poll_request', topic: 'phil_alerts', pollId: null }));
  });

  it('wants an id of 1 to 200 characters', () => {
    expect(invalid({ id: '' })).toBe('expected an ntfy message "id" (1 to 200 visible characters), got ""');
    expect(invalid({ id: 'x'.repeat(201) })).toMatch(/^expected an ntfy message "id"/);
    expect(message({ id: 'x'.repeat(200) }).event.id).toBe('x'.repeat(200));
  });

  it('leaves out a title or message that is not a string, saying so', () => {
    const line = message({ title: 5, message: { text: 'hi' } });
    expect(line.event.data).toStrictEqual({ topic: 'alerts', time: 1700000000000, body: '', priority: 3, tags: [] });
    expect(line.notes).toEqual([note('title', 'a string', '5'), note('message', 'a string', 'an object')]);
  });

  it('counts the bytes of a base64 message without its padding', () => {
    expect(message({ message: 'aA==', encoding: 'base64' }).event.data.body).toBe('(a binary message of 1 bytes, not shown)');
    // Only the '=' that end it are padding: one inside counts as a character.
    expect(message({ message: 'aA=AaA==', encoding: 'base64' }).event.data.body).toBe('(a binary message of 4 bytes, not shown)');
  });

  it('takes a priority of 1 to 5, and leaves any other at 3 with a note', () => {
    expect(message({ priority: 1 })).toMatchObject({ notes: [], event: { data: { priority: 1 } } });
    expect(message({ priority: 5 })).toMatchObject({ notes: [], event: { data: { priority: 5 } } });
    for (const [priority, got] of [[-1, '-1'], [2.5, '2.5'], ['4', '"4"'], [6, '6']] as const) {
      expect(message({ priority })).toMatchObject({ notes: [note('priority', 'an integer from 1 to 5', got)], event: { data: { priority: 3 } } });
    }
  });

  it('keeps the tags that are words, at most 20, and names the first that is not', () => {
    expect(message({ tags: ['db', 7, '', 'x'] })).toMatchObject({ notes: [note('tags', 'an array of tags', '7')], event: { data: { tags: ['db', 'x'] } } });
    expect(message({ tags: ['db', ''] })).toMatchObject({ notes: [note('tags', 'an array of tags', '""')], event: { data: { tags: ['db'] } } });
    expect(message({ tags: ['db', ['nested']] })).toMatchObject({ notes: [note('tags', 'an array of tags', 'an array of 1')], event: { data: { tags: ['db'] } } });
    // ntfy's X-Tags header form, as a string: not the JSON message's array.
    expect(message({ tags: 'warning,skull' })).toMatchObject({ notes: [note('tags', 'an array of tags', '"warning,skull"')], event: { data: { tags: [] } } });
    const many = message({ tags: Array.from({ length: 25 }, (_, i) => `t${i}`) });
    expect([many.notes, many.event.data.tags.length]).toEqual([[], 20]);
  });

  it('takes an http(s) click or icon of up to 2048 characters; an empty one is no click; any other is left out with a note', () => {
    const long = `https://a.example/${'x'.repeat(2048 - 18)}`;
    expect(message({ click: long, icon: 'http://a.example/i.png' })).toMatchObject({ notes: [], event: { data: { click: long, icon: 'http://a.example/i.png' } } });
    expect(message({ click: '' })).toStrictEqual(message({}));
    const bad = message({ click: `${long}y`, icon: 'ftp://a.example/i.png' });
    expect(bad.notes).toEqual([note('click', 'an http(s) URL', `"${long.slice(0, 40)}…"`), note('icon', 'an http(s) URL', '"ftp://a.example/i.png"')]);
    expect(Object.keys(bad.event.data)).not.toContain('click');
    expect(Object.keys(bad.event.data)).not.toContain('icon');
    expect(message({ click: ['https://a.example/'] }).notes).toEqual([note('click', 'an http(s) URL', 'an array of 1')]);
    expect(message({ click: 5, icon: 'xhttps://a.example/' }).notes).toEqual([note('click', 'an http(s) URL', '5'), note('icon', 'an http(s) URL', '"xhttps://a.example/"')]);
  });

  it('takes at most 3 view actions with a label; null actions are none, anything else not an array is noted', () => {
    const view = (label: unknown, i: number) => ({ id: `a${i}`, action: 'view', label, url: `https://a.example/${i}`, clear: false });
    const line = message({ actions: [view('', 0), view(5, 1), view('One', 2), view('Two', 3), view('Three', 4), view('Four', 5)] });
    expect(line.event.data.actions?.map((a) => a.label)).toEqual(['One', 'Two', 'Three']);
    expect(message({ actions: null })).toStrictEqual(message({}));
    const notArray = message({ actions: 'view, Open, https://a.example/' });
    expect(notArray.notes).toEqual([note('actions', 'an array of actions', '"view, Open, https://a.example/"')]);
    expect(Object.keys(notArray.event.data)).not.toContain('actions');
  });
});

describe('a plain SSE event', () => {
  it('is its data under the topic, titled by its type', () => {
    expect(sseTextEvent({ type: 'message', id: '1', data: 'hi', topic: 'feed', time: 5 })).toEqual({
      ok: true,
      notes: [],
      event: { id: '1', type: 'notify', data: { topic: 'feed', time: 5, title: 'feed', body: 'hi', priority: 3, tags: [] } },
    });
    expect(sseTextEvent({ type: 'deploy', id: '2', data: '', topic: 'feed', time: 5 })).toMatchObject({ ok: true, event: { data: { title: 'deploy', body: '' } } });
  });

  it('cuts data past its limit, with a note', () => {
    const result = sseTextEvent({ type: 'message', id: '3', data: 'x'.repeat(20_000), topic: 'feed', time: 5 });
    expect(result.ok && [result.event.data.body.length, result.notes]).toEqual([16_384, ['event 3: its data of 20000 characters was cut to 16384']]);
  });
});

describe('properties', () => {
  const fields = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(undefined), fc.integer()),
      time: fc.oneof(fc.integer({ min: -5, max: 2_000_000_000 }), fc.double(), fc.string({ maxLength: 4 })),
      event: fc.oneof(fc.constantFrom('message', 'open', 'keepalive', 'poll_request', 'x'), fc.string({ maxLength: 6 })),
      topic: fc.oneof(fc.constantFrom('a', 'mytopic', 'a,b', '../x', ''), fc.string({ maxLength: 10 })),
      title: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 1 })),
      message: fc.oneof(fc.string({ maxLength: 50 }), fc.jsonValue({ maxDepth: 1 })),
      priority: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.jsonValue({ maxDepth: 1 })),
      tags: fc.oneof(fc.array(fc.oneof(fc.constantFrom('warning', 'tada', ''), fc.string({ maxLength: 80 })), { maxLength: 25 }), fc.jsonValue({ maxDepth: 1 })),
      click: fc.oneof(fc.constantFrom('https://x.example/', 'javascript:alert(1)', 'mailto:a@b', ''), fc.jsonValue({ maxDepth: 1 })),
      actions: fc.oneof(
        fc.array(fc.record({ action: fc.constantFrom('view', 'http', 'broadcast', 1), label: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()), url: fc.constantFrom('https://a.example/', 'ftp://a', 5) }, { requiredKeys: [] }), { maxLength: 5 }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
    },
    { requiredKeys: [] },
  );

  it('any line is read without throwing, and every message that comes out is a valid notify event', () => {
    fc.assert(
      fc.property(fc.oneof(fields, fc.jsonValue({ maxDepth: 3 })), (value) => {
        const line = readNtfyMessage(value);
        if (line.kind === 'message') {
          expect(() => checkEventData('notify', line.event.data)).not.toThrow();
          for (const note of line.notes) expect(note).toMatch(/^ntfy message .+: left out "\w+": expected /);
        }
        if (line.kind === 'invalid') expect(line.problem).toMatch(/expected|cannot be shown/);
      }),
      RUNS,
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void readNtfyLine(text)), RUNS);
  });

  it('any SSE event with any templates maps to a valid notify event or a problem, never a throw', () => {
    const template = fc.oneof(fc.constantFrom('{{ data.a }}', '{{ event }}: {{ data }}', '{{ /data/x y }}', '{{ data.p }}', 'high', ''), fc.string({ maxLength: 12 }));
    const templates = fc.record({ title: template, body: template, priority: template, tags: template, click: template }, { requiredKeys: [] });
    const data = fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), data, templates, (type, text, given) => {
        let compiled;
        try {
          compiled = compileSseTemplates(given);
        } catch {
          return; // A template the settings would refuse.
        }
        const result = sseTextEvent({ type, id: 'e1', data: text, topic: 'feed', time: 1, templates: compiled });
        if (result.ok) expect(() => checkEventData('notify', result.event.data)).not.toThrow();
      }),
      RUNS,
    );
  });
});
