import { describe, expect, it } from 'vitest';
import { PublishService } from '../core/publish-service.ts';
import { openSqliteLog } from '../store/sqlite-log.ts';
import { eventFromJson, eventFromText, parsePriority, parseTags } from './publish-request.ts';

describe('publish bodies', () => {
  it('reads priorities as numbers or names, defaulting to 3', () => {
    expect([undefined, '', 1, '5', ' High ', 'min', 'urgent', 'default'].map(parsePriority)).toEqual([3, 3, 1, 5, 4, 1, 5, 3]);
    for (const bad of [0, 6, 2.5, 'loud', '10', true]) expect(() => parsePriority(bad)).toThrow(/priority of 1 to 5/);
  });

  it('reads tags from a comma list or an array, dropping blanks', () => {
    expect(parseTags(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseTags(['x', ' y '])).toEqual(['x', 'y']);
    expect(() => parseTags([1])).toThrow(/comma list or an array of strings, got an array of 1/);
  });

  it('makes a notify from text with Title, Priority, Tags and Click headers', () => {
    const event = eventFromText('a', Buffer.from('line 1\nline 2'), { title: 'T', priority: 'low', tags: 'x,y', click: 'https://e.x/' }, 5);
    expect(event).toEqual({
      type: 'notify',
      data: { topic: 'a', time: 5, body: 'line 1\nline 2', title: 'T', priority: 2, tags: ['x', 'y'], click: 'https://e.x/' },
    });
  });

  it('picks update for a status, notify for a message, and the named type for "event"', () => {
    expect(eventFromJson('t', Buffer.from('{"status":{"up":true}}'), 1)).toEqual({ type: 'update', data: { topic: 't', time: 1, status: { up: true } } });
    expect(eventFromJson('t', Buffer.from('{"title":"only a title"}'), 1)).toMatchObject({ type: 'notify', data: { body: '', title: 'only a title', priority: 3, tags: [] } });
    expect(eventFromJson('t', Buffer.from('{"event":"end","state":"cancelled","exitCode":null,"durationMs":0,"summary":""}'), 1)).toMatchObject({ type: 'end', data: { state: 'cancelled', exitCode: null } });
  });

  it('refuses a body topic that differs from the URL, a client time, and an empty message', () => {
    expect(() => eventFromJson('t', Buffer.from('{"topic":"u","body":"x"}'), 1)).toThrow(/topic comes from the URL/);
    expect(() => eventFromJson('t', Buffer.from('{"time":5,"body":"x"}'), 1)).toThrow(/"time" is set by the server/);
    expect(() => eventFromJson('t', Buffer.from('{}'), 1)).toThrow(/a "body" or a "title"/);
  });

  it('reads the body only: the payload is checked once, by the PublishService it goes to', async () => {
    const candidate = eventFromJson('t', Buffer.from('{"event":"alert","level":"loud","message":"m"}'), 1);
    expect(candidate).toEqual({ type: 'alert', data: { topic: 't', time: 1, level: 'loud', message: 'm' } });
    const log = openSqliteLog({ path: ':memory:' });
    try {
      await expect(new PublishService(log).publishWithOutcome(candidate)).rejects.toThrow(/"level" to be one of ok, warn, critical, got "loud"/);
    } finally {
      await log.close();
    }
  });
});
