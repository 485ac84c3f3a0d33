import { describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_LENGTH, parseTemplate, renderTemplate, templateProblem, topicSegment } from './json-template.ts';

const render = (source: string, data: unknown, topic = false) => renderTemplate(parseTemplate(source), data, { topic });

const UPTIME_KUMA = {
  heartbeat: { status: 0, msg: 'timeout of 48000ms exceeded', important: true },
  monitor: { name: 'My Site', url: 'https://example.org', tags: ['web', 'prod'] },
  'a.b': { 'c/d': 'slash', 'e~f': 'tilde' },
  empty: null,
};

describe('rendering templates over JSON', () => {
  it('looks values up by dotted path, array index and JSON Pointer, and keeps the text around them', () => {
    expect(render('{{ monitor.name }} is down: {{heartbeat.msg}}', UPTIME_KUMA)).toEqual({ text: 'My Site is down: timeout of 48000ms exceeded', missing: [] });
    expect(render('{{ monitor.tags.1 }} / {{ /monitor/tags/0 }}', UPTIME_KUMA).text).toBe('prod / web');
    expect(render('{{ /a.b/c~1d }} {{ /a.b/e~0f }}', UPTIME_KUMA).text).toBe('slash tilde');
  });

  it('writes numbers and booleans as JSON does, objects and arrays as compact JSON', () => {
    expect(render('{{ heartbeat.status }} {{ heartbeat.important }}', UPTIME_KUMA).text).toBe('0 true');
    expect(render('{{ monitor.tags }}', UPTIME_KUMA).text).toBe('["web","prod"]');
    expect(render('{{ /a.b }}', UPTIME_KUMA).text).toBe('{"c/d":"slash","e~f":"tilde"}');
  });

  it('reads array indices of more than one digit', () => {
    const list = Array.from({ length: 12 }, (_, i) => `item ${i}`);
    expect(render('{{ list.10 }}|{{ /list/11 }}', { list }).text).toBe('item 10|item 11');
  });

  it('renders a value JSON cannot write (a function, from data that was not parsed JSON) empty', () => {
    expect(render('[{{ f }}]', { f: () => 1 }).text).toBe('[]');
  });

  it('renders a missing or null value empty and says which placeholders found nothing', () => {
    expect(render('[{{ monitor.nope }}] [{{ empty }}] [{{ monitor.tags.9 }}] [{{ monitor.tags.01 }}]', UPTIME_KUMA)).toEqual({
      text: '[] [] [] []',
      missing: ['monitor.nope', 'empty', 'monitor.tags.9', 'monitor.tags.01'],
    });
  });

  it("reads only what the sender sent: no inherited property answers a path", () => {
    const result = render('{{ constructor }}{{ __proto__ }}{{ monitor.name.length }}{{ monitor.toString }}{{ /monitor/tags/length }}', UPTIME_KUMA);
    expect(result.text).toBe('');
    expect(result.missing).toHaveLength(5);
    expect(render('{{ __proto__.x }}', JSON.parse('{"__proto__": {"x": "sent"}}')).text).toBe('sent');
  });

  it('in a topic, makes each looked-up value one safe segment, whatever it holds', () => {
    expect(render('uptime/{{ monitor.name }}', UPTIME_KUMA, true).text).toBe('uptime/My-Site');
    expect(render('x/{{ a }}', { a: '../../etc/passwd' }, true).text).toBe('x/..-..-etc-passwd');
    expect(render('x/{{ a }}', { a: '..' }, true).text).toBe('x/--');
    expect(topicSegment('é'.repeat(100))).toBe('-');
    // Only a segment of nothing but dots is a path step; dots among other characters stay.
    expect(topicSegment('v1.2.')).toBe('v1.2.');
    expect(topicSegment('...')).toBe('---');
    expect(topicSegment('a'.repeat(100))).toHaveLength(64);
  });
});

describe('refusing templates that do not parse, with where and what was expected', () => {
  it.each([
    ['{{ monitor.name', 'expected "}}" to close the "{{" at character 1, got the end of the template'],
    ['a {{ }} b', 'expected a path such as {{ title }} or {{ /a/b }} in the placeholder at character 3, got an empty one'],
    ['{{ a {{ b }} }}', 'expected "}}" before another "{{" (placeholders do not nest), at character 1'],
    ['{{ a b }}', 'expected a dotted path without spaces (use a JSON Pointer such as {{ /a b/c }} for such keys), got "a b" at character 1'],
    ['{{ a..b }}', 'expected a dotted path of non-empty names such as {{ repository.name }}, got "a..b" at character 1'],
    ['{{ /a~2 }}', 'expected a JSON Pointer with "~" only as "~0" or "~1" (RFC 6901), got "/a~2" at character 1'],
  ])('%s', (source, message) => {
    expect(templateProblem(source)).toBe(message);
  });

  it('refuses what is not a string, and templates over the length limit', () => {
    expect(templateProblem(42)).toBe('expected a template string, got 42');
    expect(templateProblem('x'.repeat(MAX_TEMPLATE_LENGTH + 1))).toBe(`expected a template of at most ${MAX_TEMPLATE_LENGTH} characters, got ${MAX_TEMPLATE_LENGTH + 1}`);
  });

  it('parses into text runs and placeholders, with no empty text between them', () => {
    expect(parseTemplate('').parts).toEqual([]);
    expect(parseTemplate('{{ a }}{{ /b }}').parts).toEqual([
      { kind: 'value', path: 'a', segments: ['a'] },
      { kind: 'value', path: '/b', segments: ['b'] },
    ]);
    expect(parseTemplate('x {{ a }}').parts).toEqual([{ kind: 'text', text: 'x ' }, { kind: 'value', path: 'a', segments: ['a'] }]);
  });

  it('accepts a template of exactly the length limit', () => {
    expect(templateProblem('x'.repeat(MAX_TEMPLATE_LENGTH))).toBeNull();
  });

  it('takes a lone "}}" and single braces as text', () => {
    expect(render('a }} b { c } {"json": 1}', {}).text).toBe('a }} b { c } {"json": 1}');
  });
});
