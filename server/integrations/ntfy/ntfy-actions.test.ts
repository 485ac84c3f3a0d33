// ntfy's action parser, on ntfy's own test cases and documented examples
// (test/fixtures/ntfy/actions.json names where each comes from).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionsFromJson, parseActions } from './ntfy-actions.ts';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/ntfy/actions.json', import.meta.url), 'utf8')) as {
  cases: Array<{ header: string; expected: unknown[] }>;
};

describe('parseActions', () => {
  it.each(fixture.cases.map((c) => [c.header, c.expected] as const))('reads %s', (header, expected) => {
    expect(parseActions(header)).toEqual(expected);
  });

  it('reads an empty JSON array as no actions', () => {
    expect(parseActions('[]')).toEqual([]);
  });

  it.each([
    ['an unknown action', 'action=dial, label=Call', /action 1 must be view, broadcast or http, got "dial"/],
    ['a missing label', 'action=view, url=https://a.example', /action 1 needs a label/],
    ['a view without a url', 'view, Open', /action 1 \(view\) needs a url/],
    ['a GET with a body', 'http, Poke, https://a.example, method=get, body=x', /may not have a body with method GET/],
    ['four actions', 'view, a, https://a.example; view, b, https://b.example; view, c, https://c.example; view, d, https://d.example', /at most 3 actions, got 4/],
    ['an unknown key', 'view, Open, https://a.example, colour=red', /unknown key "colour"/],
    ['a bare fourth value', 'view, Open, https://a.example, stray', /the term "stray" is not key=value/],
    ['an unclosed quote', 'view, "Open, https://a.example', /a quote opened at position 7 is never closed/],
    ['text after a quote', "view, 'Open' now, https://a.example", /unexpected "n" at position 13 after a quoted value/],
    ['a bad clear', 'view, Open, https://a.example, clear=maybe', /clear must be true, yes, 1, false, no or 0, got "maybe"/],
    ['broken JSON', '[{"action": "view",', /the JSON array does not parse/],
    ['a JSON label that is not a string', '[{"action": "view", "label": 7, "url": "https://a.example"}]', /"label" of action 1 must be a string, got 7/],
  ])('refuses %s, saying what was expected', (_name, header, message) => {
    expect(() => parseActions(header)).toThrow(expect.objectContaining({ code: 'bad_request', message: expect.stringMatching(message) }));
  });

  it('takes JSON actions as a JSON publish sends them, headers and clear included', () => {
    expect(
      actionsFromJson([{ action: 'HTTP', label: 'Close door', url: 'https://door.lan/close', method: 'put', headers: { 'X-Key': 'k' }, clear: true, id: 'ignored' }]),
    ).toEqual([{ action: 'http', label: 'Close door', url: 'https://door.lan/close', method: 'PUT', headers: { 'X-Key': 'k' }, clear: true }]);
    expect(() => actionsFromJson({ action: 'view' })).toThrow(/"actions" must be an array, got an object/);
  });
});
