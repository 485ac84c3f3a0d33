// Where a resumed stream starts, against a real SQLite log: after an id the log
// issued (with a retention gap per topic that lost events), or, for an id ahead of
// everything it issued, from its start with an unknown-resume-point gap per pattern.

import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../protocol/events.ts';
import { TopicFilter } from '../protocol/topics.ts';
import { openSqliteLog, type SqliteEventLog } from '../store/sqlite-log.ts';
import { resumeStart } from './resume-start.ts';

const NOW = 1_750_000_000_000;
const logs: SqliteEventLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
});

function open(maxEventsPerTopic = 1000): SqliteEventLog {
  const log = openSqliteLog({ path: ':memory:', retention: { maxEventsPerTopic } });
  logs.push(log);
  return log;
}

function note(topic: string): NewEvent {
  return { type: 'notify', data: { topic, time: 1, body: topic, priority: 3, tags: [] } };
}

describe('resuming from an id the log issued', () => {
  it('starts right after it, with no notice when nothing was lost', async () => {
    const log = open();
    await log.append([note('a'), note('a'), note('b')]);
    expect(await resumeStart(log, '2', TopicFilter.parse('a,b'), NOW)).toEqual({ after: '2', known: true, notices: [] });
    // The newest id is issued too: nothing to replay, nothing unknown.
    expect(await resumeStart(log, '3', TopicFilter.parse('a'), NOW)).toEqual({ after: '3', known: true, notices: [] });
  });

  it('says per topic how many events retention removed after it, in words that count right', async () => {
    const log = open(2);
    // a: 1, 3, 4, 5 (1 and 3 removed); b: 2, 6, 7 (2 removed).
    await log.append([note('a'), note('b'), note('a'), note('a'), note('a'), note('b'), note('b')]);
    const start = await resumeStart(log, '1', TopicFilter.parse('a,b'), NOW);
    expect(start.after).toBe('1');
    expect(start.known).toBe(true);
    expect(start.notices).toEqual([
      {
        id: '1',
        type: 'gap',
        data: { topic: 'a', time: NOW, reason: 'retention', since: '1', lost: 1, message: '1 event of a after id 1 is no longer retained; the retained ones follow' },
      },
      {
        id: '1',
        type: 'gap',
        data: { topic: 'b', time: NOW, reason: 'retention', since: '1', lost: 1, message: '1 event of b after id 1 is no longer retained; the retained ones follow' },
      },
    ]);
    const before = await resumeStart(log, '0', TopicFilter.parse('a'), NOW);
    expect(before.notices.map((n) => n.data.message)).toEqual(['2 events of a after id 0 are no longer retained; the retained ones follow']);
  });

  it('says "some events" when retention cannot count them', async () => {
    const log = openSqliteLog({ path: ':memory:', retention: { maxEventsPerTopic: 1 }, tombstonesPerTopic: 1 });
    logs.push(log);
    await log.append([note('a'), note('a'), note('a'), note('a')]);
    const start = await resumeStart(log, '1', TopicFilter.parse('a'), NOW);
    expect(start.notices.map((n) => [n.data.lost, n.data.message])).toEqual([[null, 'Some events of a after id 1 are no longer retained; the retained ones follow']]);
  });
});

describe('resuming from an id the log never issued', () => {
  it('starts from the beginning with one unknown-resume-point gap per topic or pattern, carrying the log start as id', async () => {
    const log = open();
    await log.append([note('a'), note('job/1')]);
    const start = await resumeStart(log, '3', TopicFilter.parse('a,job/*'), NOW);
    expect(start.after).toBeNull();
    expect(start.known).toBe(false);
    expect(start.notices.map((n) => [n.id, n.type, n.data.topic, n.data.time, n.data.reason, n.data.since, n.data.lost])).toEqual([
      ['0', 'gap', 'a', NOW, 'unknown-resume-point', '3', null],
      ['0', 'gap', 'job/*', NOW, 'unknown-resume-point', '3', null],
    ]);
    expect(start.notices[1]!.data.message).toBe(
      'This server never issued event id 3 (its log was reset or restored from a backup, or this is another server): history of job/* may be incomplete; everything the server holds follows',
    );
  });

  it('takes any id but the start as unknown to an empty log, and the start as known', async () => {
    const log = open();
    expect((await resumeStart(log, '1', TopicFilter.parse('a'), NOW)).known).toBe(false);
    expect(await resumeStart(log, '0', TopicFilter.parse('a'), NOW)).toEqual({ after: '0', known: true, notices: [] });
  });
});
