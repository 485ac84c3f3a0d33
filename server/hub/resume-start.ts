// Where a resumed stream starts, and the `gap` notices that go before its replay.
// A resume id this log has issued starts the replay right after it, with one
// `retention` gap per topic that lost events after it. A resume id ahead of
// everything the log has issued (the data dir was wiped or restored from a backup,
// or the client comes from another server) cannot be honoured: delivering only
// events after it would drop every new event as "already seen". The stream then says
// so with one `unknown-resume-point` gap per topic or pattern asked for, whose id is
// the start of the log (a client that keeps it resumes from there), and replays
// everything the log holds.

import type { GapData, HeraldEvent } from '../protocol/events.ts';
import type { TopicFilter } from '../protocol/topics.ts';
import type { EventLog, GapInfo } from '../store/event-log.ts';

export interface ResumeStart {
  /** Replay after this id (null: from the oldest retained event). */
  after: string | null;
  /** True when the client's resume id stands: live events up to it were already sent. */
  known: boolean;
  notices: HeraldEvent<'gap'>[];
}

export async function resumeStart(log: EventLog, since: string, filter: TopicFilter, now: number): Promise<ResumeStart> {
  if (await isUnknown(log, since)) {
    return { after: null, known: false, notices: filter.patterns.map((pattern) => unknownResumeGap(pattern.source, since, log.startId, now)) };
  }
  const gaps = await log.gapsAfter(since, filter);
  return { after: since, known: true, notices: gaps.map((gap) => retentionGap(gap, since, now)) };
}

/** After everything this log has issued; the log's start itself is always known. */
async function isUnknown(log: EventLog, since: string): Promise<boolean> {
  if (log.compareIds(since, log.startId) <= 0) return false;
  const head = await log.headId();
  return head === null || log.compareIds(since, head) > 0;
}

function retentionGap(gap: GapInfo, since: string, now: number): HeraldEvent<'gap'> {
  const count = gap.lost === null ? 'Some events' : `${gap.lost} event${gap.lost === 1 ? '' : 's'}`;
  const data: GapData = {
    topic: gap.topic,
    time: now,
    reason: 'retention',
    since,
    lost: gap.lost,
    message: `${count} of ${gap.topic} after id ${since} ${gap.lost === 1 ? 'is' : 'are'} no longer retained; the retained ones follow`,
  };
  // The gap carries the resume id itself: resuming from it is exactly where the
  // client was, so nothing is skipped.
  return { id: since, type: 'gap', data };
}

function unknownResumeGap(topic: string, since: string, startId: string, now: number): HeraldEvent<'gap'> {
  const data: GapData = {
    topic,
    time: now,
    reason: 'unknown-resume-point',
    since,
    lost: null,
    message:
      `This server never issued event id ${since} (its log was reset or restored from a backup, or this is another server): ` +
      `history of ${topic} may be incomplete; everything the server holds follows`,
  };
  // The log's start: a client that resumes from it gets everything, and never again
  // an id this log has not issued.
  return { id: startId, type: 'gap', data };
}
