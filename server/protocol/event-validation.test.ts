// What the server accepts as an event to publish (validateNewEvent) and what a client
// accepts as a received event's data (checkEventData): every field's type and limit,
// and the message that names the field, what was expected and what arrived.

import { describe, expect, it } from 'vitest';
import { HeraldError } from './errors.ts';
import {
  MAX_ACTIONS,
  MAX_CLICK_LENGTH,
  MAX_TAGS,
  MAX_TAG_LENGTH,
  MAX_TITLE_LENGTH,
  checkEventData,
  isPlainObject,
  validateNewEvent,
} from './event-validation.ts';
import type { EventType } from './events.ts';

type Data = Record<string, unknown>;

const VALID: Record<EventType, Data> = {
  update: { topic: 'web/api', time: 1_700_000_000_000, status: { up: true } },
  notify: { topic: 'web/api', time: 1_700_000_000_000, body: 'deployed', priority: 3, tags: [] },
  alert: { topic: 'web/api', time: 1_700_000_000_000, level: 'warn', message: 'slow' },
  end: { topic: 'jobs/build', time: 1_700_000_000_000, state: 'succeeded', exitCode: 0, durationMs: 1200, summary: 'done' },
  gap: { topic: 'web/api', time: 1_700_000_000_000, since: '41', lost: 3, message: 'retention dropped 3 events' },
};

/** The event of `type` with `changes` over a valid one (a change to undefined removes the field). */
function event(type: EventType, changes: Data = {}): Data {
  const data: Data = { ...VALID[type], ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete data[key];
  return data;
}

/** Checks as a received event (gap included); the HeraldError thrown, or null when accepted. */
function refusal(type: EventType, data: unknown): HeraldError | null {
  try {
    checkEventData(type, data);
    return null;
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    return error;
  }
}

function refusalToPublish(type: unknown, data: unknown): HeraldError | null {
  try {
    validateNewEvent({ type, data });
    return null;
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    return error;
  }
}

function expectAccepted(type: EventType, changes: Data): void {
  expect(refusal(type, event(type, changes))?.message ?? null, JSON.stringify(changes)).toBeNull();
  if (type !== 'gap') expect(refusalToPublish(type, event(type, changes))?.message ?? null, JSON.stringify(changes)).toBeNull();
}

function expectRefused(type: EventType, changes: Data, message: string): void {
  const error = refusal(type, event(type, changes));
  expect(error, JSON.stringify(changes)).not.toBeNull();
  expect(error?.code).toBe('bad_request');
  expect(error?.message).toBe(message);
}

const text = (length: number): string => 'x'.repeat(length);
const url = (length: number): string => `https://example.com/${text(length - 'https://example.com/'.length)}`;

describe('isPlainObject', () => {
  it('is true for an object and false for null, an array or a primitive', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    for (const value of [null, undefined, [], [1], 'a', 1, true]) expect(isPlainObject(value), String(value)).toBe(false);
  });
});

describe('validateNewEvent', () => {
  it('returns a copy of every valid event type, equal to what came in', () => {
    for (const type of ['update', 'notify', 'alert', 'end'] as const) {
      const data = event(type);
      const checked = validateNewEvent({ type, data });
      expect(checked).toEqual({ type, data });
      expect(checked.data).not.toBe(data);
    }
  });

  it('refuses a gap: only the server makes one', () => {
    expect(refusalToPublish('gap', event('gap'))?.message).toBe(
      'a gap event is made by the server when a resume id is older than retention; it cannot be published',
    );
  });

  it('refuses an unknown type, naming it', () => {
    const error = refusalToPublish('message', event('notify'));
    expect(error?.code).toBe('bad_request');
    expect(error?.message).toBe('expected an event type of update, notify, alert or end, got "message"');
  });

  it('accepts every field a type names, all at once', () => {
    const full: Record<Exclude<EventType, 'gap'>, Data> = {
      update: { changed: ['up'] },
      notify: {
        title: 'Deploy',
        click: 'https://example.com/run/1',
        actions: [{ action: 'view', label: 'Open', url: 'https://example.com' }],
        markdown: true,
        icon: 'https://example.com/icon.png',
      },
      alert: { previous: 'ok', metric: 'latencyMs', value: 950, click: 'https://example.com/graph' },
      end: {},
    };
    for (const [type, changes] of Object.entries(full)) expectAccepted(type as EventType, changes);
  });

  it('refuses a field the type does not name, listing the ones it does', () => {
    const cases: Array<[EventType, string]> = [
      ['update', 'topic, time, status, changed'],
      ['notify', 'topic, time, title, body, priority, tags, click, actions, markdown, icon'],
      ['alert', 'topic, time, level, previous, metric, value, message, click'],
      ['end', 'topic, time, state, exitCode, durationMs, summary'],
    ];
    for (const [type, allowed] of cases) {
      expect(refusalToPublish(type, event(type, { colour: 'red' }))?.message).toBe(
        `unknown field "colour" for a ${type} event; expected some of ${allowed}`,
      );
    }
    // A field of another type is unknown too.
    expect(refusalToPublish('update', event('update', { level: 'ok' }))?.message).toMatch(/^unknown field "level" for a update event/);
  });
});

describe('checkEventData', () => {
  it('keeps a field a newer server adds, in a copy', () => {
    const data = event('notify', { colour: 'red' });
    const checked = checkEventData('notify', data);
    expect(checked).toEqual(data);
    expect(checked).not.toBe(data);
  });

  it('refuses data that is not an object', () => {
    expect(refusal('update', null)?.message).toBe('expected the event data to be an object, got null');
    expect(refusal('update', [1, 2])?.message).toBe('expected the event data to be an object, got an array of 2');
    expect(refusal('update', 'text')?.message).toBe('expected the event data to be an object, got "text"');
  });

  it('refuses a bad topic with bad_topic; only a gap may name a pattern', () => {
    for (const topic of [undefined, 5, '', 'a b', 'jobs/*']) {
      expect(refusal('notify', event('notify', { topic }))?.code, String(topic)).toBe('bad_topic');
    }
    expectAccepted('gap', { topic: 'jobs/*' });
    expectAccepted('gap', { topic: 'jobs/**' });
    expect(refusal('gap', event('gap', { topic: 'jobs/**/x' }))?.code).toBe('bad_topic');
    expect(refusal('gap', event('gap', { topic: 5 }))?.code).toBe('bad_topic');
  });

  it('takes time as whole non-negative epoch milliseconds', () => {
    expectAccepted('update', { time: 0 });
    expectAccepted('update', { time: Number.MAX_SAFE_INTEGER });
    for (const [time, shown] of [
      ['1700000000000', '"1700000000000"'],
      [1.5, '1.5'],
      [-1, '-1'],
      [Number.MAX_SAFE_INTEGER + 1, String(Number.MAX_SAFE_INTEGER + 1)],
      [undefined, 'nothing'],
      [null, 'null'],
    ] as const) {
      expectRefused('update', { time }, `expected "time" in epoch milliseconds, got ${shown}`);
    }
  });
});

describe('update', () => {
  it('needs a status object', () => {
    expectRefused('update', { status: undefined }, 'expected "status" to be an object, got nothing');
    expectRefused('update', { status: [] }, 'expected "status" to be an object, got an array of 0');
    expectRefused('update', { status: 'up' }, 'expected "status" to be an object, got "up"');
  });

  it('takes changed as an optional array of keys, every one a string', () => {
    expectAccepted('update', { changed: [] });
    expectAccepted('update', { changed: ['up', 'latency'] });
    expectRefused('update', { changed: 'up' }, 'expected "changed" to be an array of status keys, got "up"');
    expectRefused('update', { changed: [1] }, 'expected "changed" to be an array of status keys, got an array of 1');
    expectRefused('update', { changed: ['up', 2] }, 'expected "changed" to be an array of status keys, got an array of 2');
    expectRefused('update', { changed: null }, 'expected "changed" to be an array of status keys, got null');
  });
});

describe('notify', () => {
  it('takes an optional title of at most 256 characters', () => {
    expectAccepted('notify', { title: text(MAX_TITLE_LENGTH) });
    expectRefused('notify', { title: text(MAX_TITLE_LENGTH + 1) }, 'expected "title" of at most 256 characters, got 257');
    expectRefused('notify', { title: 7 }, 'expected "title" to be a string, got 7');
  });

  it('needs a body of any length', () => {
    expectAccepted('notify', { body: '' });
    expectAccepted('notify', { body: text(100_000) });
    expectRefused('notify', { body: undefined }, 'expected "body" to be a string, got nothing');
    expectRefused('notify', { body: ['a'] }, 'expected "body" to be a string, got an array of 1');
  });

  it('needs a whole priority from 1 to 5', () => {
    for (const priority of [1, 2, 3, 4, 5]) expectAccepted('notify', { priority });
    for (const [priority, shown] of [
      [0, '0'],
      [6, '6'],
      [2.5, '2.5'],
      ['3', '"3"'],
      [undefined, 'nothing'],
    ] as const) {
      expectRefused('notify', { priority }, `expected "priority" to be an integer from 1 to 5, got ${shown}`);
    }
  });

  it('needs up to 20 tags, each a string of 1 to 64 characters', () => {
    expectAccepted('notify', { tags: Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`) });
    expectAccepted('notify', { tags: ['a', text(MAX_TAG_LENGTH)] });
    expectRefused('notify', { tags: 'a,b' }, 'expected "tags" to be an array of strings, got "a,b"');
    expectRefused('notify', { tags: undefined }, 'expected "tags" to be an array of strings, got nothing');
    expectRefused('notify', { tags: Array.from({ length: MAX_TAGS + 1 }, () => 't') }, 'expected at most 20 tags, got 21');
    const each = 'expected each tag to be a string of 1 to 64 characters, got';
    expectRefused('notify', { tags: ['ok', ''] }, `${each} ""`);
    expectRefused('notify', { tags: ['ok', text(MAX_TAG_LENGTH + 1)] }, `${each} "${text(40)}…"`);
    expectRefused('notify', { tags: ['ok', 3] }, `${each} 3`);
  });

  it('takes click and icon as http(s) URLs of at most 2048 characters', () => {
    for (const field of ['click', 'icon']) {
      expectAccepted('notify', { [field]: 'http://example.com/' });
      expectAccepted('notify', { [field]: url(MAX_CLICK_LENGTH) });
      const tooLong = url(MAX_CLICK_LENGTH + 1);
      expectRefused('notify', { [field]: tooLong }, `expected "${field}" to be an http(s) URL of at most 2048 characters, got "${tooLong.slice(0, 40)}…"`);
      expectRefused('notify', { [field]: 42 }, `expected "${field}" to be an http(s) URL of at most 2048 characters, got 42`);
      expectRefused('notify', { [field]: 'example.com/run' }, `expected "${field}" to be an absolute http(s) URL, got "example.com/run"`);
      expectRefused('notify', { [field]: 'file:///etc/passwd' }, `expected "${field}" to be an http or https URL, got a file: URL`);
      expectRefused('notify', { [field]: 'javascript:alert(1)' }, `expected "${field}" to be an http or https URL, got a javascript: URL`);
    }
  });

  it('takes markdown as true or false', () => {
    expectAccepted('notify', { markdown: false });
    expectAccepted('notify', { markdown: true });
    expectRefused('notify', { markdown: 'yes' }, 'expected "markdown" to be true or false, got "yes"');
  });
});

describe('notify actions', () => {
  const view = { action: 'view', label: 'Open', url: 'https://example.com/run' };
  const http = { action: 'http', label: 'Retry', url: 'https://example.com/retry' };

  it('takes up to 3 view or http actions', () => {
    expectAccepted('notify', { actions: [] });
    expectAccepted('notify', { actions: [view, http, { ...view, clear: true }] });
    expectRefused('notify', { actions: view }, 'expected "actions" to be an array of actions, got an object');
    expectRefused('notify', { actions: Array.from({ length: MAX_ACTIONS + 1 }, () => view) }, 'expected at most 3 actions, got 4');
    expectRefused('notify', { actions: [view, 'open'] }, 'expected actions[1] to be an object, got "open"');
    expectRefused('notify', { actions: [{ ...view, action: 'broadcast' }] }, 'expected actions[0].action to be "view" or "http", got "broadcast"');
  });

  it('refuses a field the action kind does not name', () => {
    expectRefused(
      'notify',
      { actions: [{ ...view, method: 'POST' }] },
      'unknown field "method" in actions[0], a view action; expected some of action, label, url, clear',
    );
    expectAccepted('notify', { actions: [{ ...http, method: 'POST', headers: { A: 'b' }, body: 'x', clear: false }] });
    expectRefused(
      'notify',
      { actions: [{ ...http, icon: 'x' }] },
      'unknown field "icon" in actions[0], a http action; expected some of action, label, url, method, headers, body, clear',
    );
  });

  it('needs a label of 1 to 256 characters and an http(s) url', () => {
    expectAccepted('notify', { actions: [{ ...view, label: 'x' }] });
    expectAccepted('notify', { actions: [{ ...view, label: text(MAX_TITLE_LENGTH) }] });
    const label = 'expected actions[0].label to be a string of 1 to 256 characters, got';
    expectRefused('notify', { actions: [{ ...view, label: '' }] }, `${label} ""`);
    expectRefused('notify', { actions: [{ ...view, label: text(MAX_TITLE_LENGTH + 1) }] }, `${label} "${text(40)}…"`);
    expectRefused('notify', { actions: [{ ...view, label: 1 }] }, `${label} 1`);
    expectRefused('notify', { actions: [{ ...view, url: 'ftp://example.com' }] }, 'expected "actions[0].url" to be an http or https URL, got a ftp: URL');
    expectRefused('notify', { actions: [{ ...view, clear: 'yes' }] }, 'expected actions[0].clear to be true or false, got "yes"');
  });

  it('takes an http action\'s method as 1 to 16 upper-case letters', () => {
    expectAccepted('notify', { actions: [{ ...http, method: 'PUT' }] });
    expectAccepted('notify', { actions: [{ ...http, method: 'A'.repeat(16) }] });
    const method = 'expected actions[0].method to be an upper-case HTTP method such as POST, got';
    expectRefused('notify', { actions: [{ ...http, method: 'post' }] }, `${method} "post"`);
    expectRefused('notify', { actions: [{ ...http, method: 'A'.repeat(17) }] }, `${method} "${'A'.repeat(17)}"`);
    expectRefused('notify', { actions: [{ ...http, method: '' }] }, `${method} ""`);
    expectRefused('notify', { actions: [{ ...http, method: 'X POST' }] }, `${method} "X POST"`);
    expectRefused('notify', { actions: [{ ...http, method: 'POST\n' }] }, `${method} "POST\\n"`);
    expectRefused('notify', { actions: [{ ...http, method: 1 }] }, `${method} 1`);
    // An array's text would pass the pattern: only a string is a method.
    expectRefused('notify', { actions: [{ ...http, method: ['POST'] }] }, `${method} an array of 1`);
  });

  it('takes up to 20 headers, every value a string', () => {
    const headers = (count: number): Data => Object.fromEntries(Array.from({ length: count }, (_, i) => [`X-${i}`, 'v']));
    expectAccepted('notify', { actions: [{ ...http, headers: {} }] });
    expectAccepted('notify', { actions: [{ ...http, headers: headers(20) }] });
    expectRefused('notify', { actions: [{ ...http, headers: headers(21) }] }, 'expected at most 20 headers in actions[0], got 21');
    expectRefused('notify', { actions: [{ ...http, headers: { A: 1 } }] }, 'expected actions[0].headers to be an object of strings, got an object');
    expectRefused('notify', { actions: [{ ...http, headers: { A: 'b', C: null } }] }, 'expected actions[0].headers to be an object of strings, got an object');
    expectRefused('notify', { actions: [{ ...http, headers: ['A: b'] }] }, 'expected actions[0].headers to be an object of strings, got an array of 1');
  });

  it('takes a string body, except on a GET or HEAD', () => {
    expectAccepted('notify', { actions: [{ ...http, body: '{"retry":true}' }] });
    expectAccepted('notify', { actions: [{ ...http, method: 'POST', body: '' }] });
    expectAccepted('notify', { actions: [{ ...http, method: 'GET' }] });
    expectRefused('notify', { actions: [{ ...http, body: 1 }] }, 'expected actions[0].body to be a string, got 1');
    expectRefused('notify', { actions: [{ ...http, method: 'GET', body: '' }] }, 'expected no body in actions[0], a GET action, got one');
    expectRefused('notify', { actions: [{ ...http, method: 'HEAD', body: 'x' }] }, 'expected no body in actions[0], a HEAD action, got one');
  });

  it('names the action by its index', () => {
    expectRefused('notify', { actions: [view, { ...http, label: '' }] }, 'expected actions[1].label to be a string of 1 to 256 characters, got ""');
  });
});

describe('alert', () => {
  it('needs a level and takes an optional previous level', () => {
    for (const level of ['ok', 'warn', 'critical']) expectAccepted('alert', { level, previous: level });
    expectRefused('alert', { level: undefined }, 'expected "level" to be one of ok, warn, critical, got nothing');
    expectRefused('alert', { level: 'error' }, 'expected "level" to be one of ok, warn, critical, got "error"');
    expectRefused('alert', { previous: 'OK' }, 'expected "previous" to be one of ok, warn, critical, got "OK"');
    expectRefused('alert', { previous: null }, 'expected "previous" to be one of ok, warn, critical, got null');
  });

  it('takes an optional metric of at most 200 characters and needs a message', () => {
    expectAccepted('alert', { metric: text(200) });
    expectRefused('alert', { metric: text(201) }, 'expected "metric" of at most 200 characters, got 201');
    expectRefused('alert', { metric: 1 }, 'expected "metric" to be a string, got 1');
    expectAccepted('alert', { message: '' });
    expectRefused('alert', { message: undefined }, 'expected "message" to be a string, got nothing');
  });

  it('takes a value that is a finite number, a string or null', () => {
    for (const value of [undefined, null, 0, -2.5, 950, '', 'down']) expectAccepted('alert', { value });
    for (const [value, shown] of [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [true, 'true'],
      [{ ms: 1 }, 'an object'],
      [[1], 'an array of 1'],
    ] as const) {
      expectRefused('alert', { value }, `expected "value" to be a number, a string or null, got ${shown}`);
    }
  });

  it('checks click as a URL', () => {
    expectAccepted('alert', { click: 'https://example.com/graph' });
    expectRefused('alert', { click: 'data:text/html,x' }, 'expected "click" to be an http or https URL, got a data: URL');
  });
});

describe('end', () => {
  it('needs a known state', () => {
    for (const state of ['succeeded', 'failed', 'cancelled', 'timed-out']) expectAccepted('end', { state });
    expectRefused('end', { state: 'done' }, 'expected "state" to be one of succeeded, failed, cancelled, timed-out, got "done"');
  });

  it('needs an integer exit code or null', () => {
    for (const exitCode of [null, 0, 1, -1, 255]) expectAccepted('end', { exitCode });
    for (const [exitCode, shown] of [
      [undefined, 'nothing'],
      [1.5, '1.5'],
      ['1', '"1"'],
      [Number.NaN, 'NaN'],
    ] as const) {
      expectRefused('end', { exitCode }, `expected "exitCode" to be an integer or null, got ${shown}`);
    }
  });

  it('needs a non-negative finite duration and a summary', () => {
    for (const durationMs of [0, 1.5, 3_600_000]) expectAccepted('end', { durationMs });
    for (const [durationMs, shown] of [
      [-1, '-1'],
      [-0.5, '-0.5'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['5', '"5"'],
      [undefined, 'nothing'],
    ] as const) {
      expectRefused('end', { durationMs }, `expected "durationMs" to be a non-negative number, got ${shown}`);
    }
    expectRefused('end', { summary: undefined }, 'expected "summary" to be a string, got nothing');
  });
});

describe('gap', () => {
  it('takes an optional reason, and a reason it does not know', () => {
    expectAccepted('gap', { reason: 'retention' });
    expectAccepted('gap', { reason: 'a-reason-from-a-newer-server' });
    expectRefused('gap', { reason: 3 }, 'expected "reason" to be a string, got 3');
  });

  it('needs since and a message', () => {
    expectRefused('gap', { since: undefined }, 'expected "since" to be a string, got nothing');
    expectRefused('gap', { since: 41 }, 'expected "since" to be a string, got 41');
    expectRefused('gap', { message: undefined }, 'expected "message" to be a string, got nothing');
  });

  it('needs lost as a whole count of events, or null when unknown', () => {
    for (const lost of [null, 0, 1, 1_000_000]) expectAccepted('gap', { lost });
    for (const [lost, shown] of [
      [-1, '-1'],
      [1.5, '1.5'],
      ['3', '"3"'],
      [undefined, 'nothing'],
      [Number.MAX_SAFE_INTEGER + 1, String(Number.MAX_SAFE_INTEGER + 1)],
    ] as const) {
      expectRefused('gap', { lost }, `expected "lost" to be a count of events or null, got ${shown}`);
    }
  });
});
