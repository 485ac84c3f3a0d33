// A plain SSE stream's events as Herald notify events (sse-text-event.ts): the
// templates a setting may give and what is wrong with the others, and each mapped
// field's defaults, trimming and limits. The mapping without templates and the
// properties over any input are in ntfy-event.test.ts.

import { describe, expect, it } from 'vitest';
import { compileSseTemplates, MAX_SSE_BODY, sseTemplateProblems, sseTextEvent, type SseTemplates } from './sse-text-event.ts';

const FIELDS = 'title, body, priority, tags, click';

function mapped(templates: SseTemplates, data: unknown, type = 'message') {
  const result = sseTextEvent({ type, id: 'e1', data: typeof data === 'string' ? data : JSON.stringify(data), topic: 'feed', time: 5, templates: compileSseTemplates(templates) });
  if (!result.ok) throw new Error(result.problem);
  return { data: result.event.data, notes: result.notes };
}

describe('sseTemplateProblems', () => {
  it('wants an object of templates, and says what arrived instead', () => {
    expect(sseTemplateProblems(null)).toEqual([`expected an object of templates (${FIELDS}), got null`]);
    expect(sseTemplateProblems(['{{ data }}'])).toEqual([`expected an object of templates (${FIELDS}), got an array of 1`]);
    expect(sseTemplateProblems('{{ data }}')).toEqual([`expected an object of templates (${FIELDS}), got "{{ data }}"`]);
  });

  it('names a field it does not know, and checks a literal priority but not a literal title', () => {
    expect(sseTemplateProblems({ colour: 'red', title: 'Disk full', priority: 'high' })).toEqual([`colour: expected one of ${FIELDS}`]);
    expect(sseTemplateProblems({ priority: 'loud' })).toEqual(['priority: expected a priority of 1 to 5 or min, low, default, high, max, urgent; got "loud"']);
  });

  it('says why a template does not parse, field by field', () => {
    expect(sseTemplateProblems({ title: '{{ data.a', body: 5, click: '{{ data.url }}' })).toEqual([
      'title: expected "}}" to close the "{{" at character 1, got the end of the template',
      'body: expected a template string, got 5',
    ]);
  });
});

describe('compileSseTemplates', () => {
  it('compiles only the fields given', () => {
    expect(Object.keys(compileSseTemplates({ title: '{{ data.a }}', tags: 'x' }))).toEqual(['title', 'tags']);
  });
});

describe('sseTextEvent', () => {
  it('titles an event of no type by its topic', () => {
    expect(sseTextEvent({ type: '', id: '1', data: 'hi', topic: 'feed', time: 5 })).toMatchObject({ ok: true, event: { data: { title: 'feed' } } });
  });

  it('keeps data of exactly the limit whole, without a note', () => {
    const result = sseTextEvent({ type: 'message', id: '1', data: 'x'.repeat(MAX_SSE_BODY), topic: 'feed', time: 5 });
    expect(result.ok && [result.event.data.body.length, result.notes]).toEqual([MAX_SSE_BODY, []]);
  });

  it('says why an event that cannot be a notify event is refused', () => {
    const result = sseTextEvent({ type: 'deploy', id: '9', data: 'hi', topic: 'bad topic', time: 5 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(/^event 9 \(deploy\) cannot be shown: .*topic/);
  });
});

describe('sseTextEvent with templates', () => {
  it('trims a rendered title, and keeps a literal one', () => {
    expect(mapped({ title: '  {{ data.service }} down  ' }, { service: 'api' }).data.title).toBe('api down');
    expect(mapped({ title: 'Deploy' }, { service: 'api' }).data.title).toBe('Deploy');
  });

  it('leaves a field without a template at its default: the data is the body', () => {
    expect(mapped({ title: '{{ data.service }}' }, 'not json').data).toMatchObject({ title: 'feed', body: 'not json' });
    expect(mapped({ title: '{{ data.service }}' }, { service: 'api' }).data).toMatchObject({ title: 'api', body: '{"service":"api"}', priority: 3, tags: [] });
  });

  it('keeps a rendered body as it is, but one of only spaces leaves the data as the body', () => {
    expect(mapped({ body: '  {{ data.detail }}\n' }, { detail: 'disk full' }).data.body).toBe('  disk full\n');
    expect(mapped({ body: '{{ data.detail }}' }, { detail: '   ' }).data.body).toBe('{"detail":"   "}');
  });

  it('splits tags on commas, trimmed, empty ones left out, at most 20', () => {
    expect(mapped({ tags: '{{ data.kind }}' }, { kind: ' db , ,nightly ' }).data.tags).toEqual(['db', 'nightly']);
    const many = Array.from({ length: 25 }, (_, i) => `t${i}`).join(',');
    expect(mapped({ tags: '{{ data.kind }}' }, { kind: many }).data.tags).toHaveLength(20);
  });

  it('gives a field its default when its template found none of its values, but keeps one that found some', () => {
    expect(mapped({ title: '{{ data.service }} down' }, { state: 'down' }).data.title).toBe('feed');
    expect(mapped({ title: '{{ data.service }} is {{ data.state }}' }, { service: 'api' }).data.title).toBe('api is');
  });

  it('maps a priority by name or digit, and leaves one that is neither at 3 with a note', () => {
    expect(mapped({ priority: '{{ data.severity }}' }, { severity: 'high' })).toEqual(expect.objectContaining({ notes: [], data: expect.objectContaining({ priority: 4 }) }));
    expect(mapped({ priority: '{{ data.severity }}' }, { severity: 1 }).data.priority).toBe(1);
    const loud = mapped({ priority: '{{ data.severity }}' }, { severity: 'loud' });
    expect(loud.data.priority).toBe(3);
    expect(loud.notes).toEqual(['event e1: priority left at 3: expected a priority of 1 to 5 or min, low, default, high, max, urgent; got "loud"']);
  });

  it('adds no note for a field without a template', () => {
    expect(mapped({ title: '{{ data.service }}' }, { service: 'api' }).notes).toEqual([]);
  });

  it('takes an http or https click, and leaves out another scheme with a note', () => {
    expect(mapped({ click: '{{ data.url }}' }, { url: 'http://ci.lan/run/7' }).data.click).toBe('http://ci.lan/run/7');
    const other = mapped({ click: '{{ data.url }}' }, { url: 'xhttps://ci.lan/run/7' });
    expect(other.data.click).toBeUndefined();
    expect(other.notes).toEqual(['event e1: click left out: expected an http(s) URL, got "xhttps://ci.lan/run/7"']);
  });
});
