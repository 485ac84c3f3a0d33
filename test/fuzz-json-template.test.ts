// Fuzzing the webhook template language (server/protocol/json-template.ts) and a
// generic hook's rendering (server/integrations/hooks/hook-event.ts). Contracts:
//   - parsing any string either gives a template or throws an Error whose message
//     starts "expected" (nothing else escapes, nothing hangs);
//   - text without "{{" renders as itself;
//   - a path to a value that is there finds it, dotted or as a JSON Pointer (the
//     oracle is the document itself);
//   - rendering never throws, and in a topic every looked-up value is topic-safe;
//   - a hook turns any JSON body into a valid event or a 400 `bad_request`.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTemplate, renderTemplate, valueAt } from '../server/protocol/json-template.ts';
import { HeraldError } from '../server/protocol/errors.ts';
import { topicProblem } from '../server/protocol/topics.ts';
import { validateNewEvent } from '../server/protocol/event-validation.ts';
import { compileHook, topicTemplateProblem } from '../server/integrations/hooks/hook-config.ts';
import { hookEvent } from '../server/integrations/hooks/hook-event.ts';

const RUNS = { numRuns: 400 };
const pieces = fc.constantFrom('{{', '}}', '{', '}', ' ', '.', '/', '~', '~0', '~1', 'a', 'monitor', 'name', '0', '__proto__', 'é', '\n');
const templateLike = fc.oneof(fc.string({ maxLength: 40 }), fc.array(pieces, { maxLength: 14 }).map((p) => p.join('')));
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

/** A key that a dotted path can name: no dot, no space, no brace, not empty. */
const plainKey = fc.stringMatching(/^[A-Za-z0-9_:-]{1,8}$/);
const anyKey = fc.oneof(plainKey, fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'a.b', 'a/b', 'a~b', ''));

/** A document with a value planted at a path of `keys` (numbers step into arrays). */
const planted = fc
  .tuple(fc.array(fc.oneof(anyKey, fc.nat({ max: 3 })), { minLength: 1, maxLength: 4 }), json.filter((v) => v !== null))
  .map(([keys, value]) => {
    let doc: unknown = value;
    for (const key of [...keys].reverse()) {
      if (typeof key === 'number') {
        const array: unknown[] = Array.from({ length: key + 1 }, () => 0);
        array[key] = doc;
        doc = array;
      } else {
        doc = JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(doc)}}`);
      }
    }
    return { doc, keys: keys.map(String), value };
  });

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

describe('the template parser', () => {
  it('gives a template or an "expected ..." Error for any text, never anything else', () => {
    fc.assert(
      fc.property(templateLike, (source) => {
        try {
          const template = parseTemplate(source);
          expect(template.source).toBe(source);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toMatch(/^expected /);
        }
      }),
      RUNS,
    );
  });

  it('renders text without "{{" as itself, finding nothing missing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }).filter((s) => !s.includes('{{')), json, (text, data) => {
        expect(renderTemplate(parseTemplate(text), data)).toEqual({ text, missing: [] });
      }),
      RUNS,
    );
  });

  it('finds a value that is there, by JSON Pointer always and by dotted path when its keys allow', () => {
    fc.assert(
      fc.property(planted, ({ doc, keys, value }) => {
        expect(valueAt(doc, keys)).toEqual(value);
        const pointer = `/${keys.map((k) => k.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
        if (!pointer.includes('}}') && !pointer.includes('{{') && pointer.trim() === pointer) {
          expect(renderTemplate(parseTemplate(`[{{ ${pointer} }}]`), doc)).toEqual({ text: `[${shown(value)}]`, missing: [] });
        }
        if (keys.every((k) => /^[A-Za-z0-9_:-]+$/.test(k))) {
          expect(renderTemplate(parseTemplate(`{{ ${keys.join('.')} }}`), doc).text).toBe(shown(value));
        }
      }),
      RUNS,
    );
  });

  it('never throws while rendering, and keeps every value of a topic to safe characters', () => {
    fc.assert(
      fc.property(templateLike, json, (source, data) => {
        let template;
        try {
          template = parseTemplate(source);
        } catch {
          return;
        }
        const plain = renderTemplate(template, data);
        expect(typeof plain.text).toBe('string');
        const topic = renderTemplate(template, data, { topic: true });
        const fixed = template.parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('');
        const looked = [...topic.text].filter((c) => !fixed.includes(c)).join('');
        expect(looked).toMatch(/^[A-Za-z0-9_.-]*$/);
      }),
      RUNS,
    );
  });

  it('makes a valid topic from a template the config accepts whenever every value it needs is there', () => {
    const topicTemplate = fc
      .array(fc.oneof(fc.constantFrom('a', 'b/', '/', '.', '-', 'x.y/'), fc.constantFrom('{{ v }}', '{{ w.0 }}', '{{ /w/1 }}')), { minLength: 1, maxLength: 6 })
      .map((p) => p.join(''))
      .filter((source) => topicTemplateProblem(source) === null);
    const value = fc.oneof(fc.string({ minLength: 1, maxLength: 70 }), fc.constantFrom('.', '..', '/', '../x', 'a/b'), fc.integer(), fc.boolean());
    fc.assert(
      fc.property(topicTemplate, value, fc.tuple(value, value), (source, v, w) => {
        const { text, missing } = renderTemplate(parseTemplate(source), { v, w }, { topic: true });
        expect(missing).toEqual([]);
        expect(topicProblem(text)).toBeNull();
      }),
      RUNS,
    );
  });
});

describe('a generic hook over any body', () => {
  const hook = compileHook('fuzz', {
    topic: 'fuzz/{{ a }}/{{ /b/0 }}',
    title: '{{ title }}',
    body: '{{ body }} {{ a }}',
    priority: { from: '{{ p }}', map: { up: 2, down: 'high' } },
    click: '{{ url }}',
    tags: '{{ tags }},x',
  });
  const alertHook = compileHook('fuzz-alert', { topic: 'fuzz', body: '{{ body }}', level: { from: '{{ status }}', map: { '0': 'critical', '1': 'ok' } } });
  const body = fc.record(
    { a: json, b: json, title: json, body: json, p: json, url: fc.oneof(json, fc.constantFrom('https://x.example/a', 'javascript:alert(1)')), tags: json, status: fc.oneof(json, fc.constantFrom('0', '1', 0, 1)) },
    { requiredKeys: [] },
  );

  it('makes a valid event or refuses with a 400 naming the hook', () => {
    fc.assert(
      fc.property(body, fc.boolean(), (payload, alert) => {
        try {
          const event = hookEvent(alert ? alertHook : hook, payload, 1_700_000_000_000);
          expect(validateNewEvent(event)).toEqual(event);
          expect(topicProblem(event.data.topic)).toBeNull();
        } catch (error) {
          expect(error).toBeInstanceOf(HeraldError);
          expect((error as HeraldError).code).toBe('bad_request');
          expect((error as Error).message).toMatch(/^webhook "fuzz(-alert)?": expected|^webhook "fuzz(-alert)?": the topic template/);
        }
      }),
      RUNS,
    );
  });
});
