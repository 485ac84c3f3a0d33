// A message topic as the overview shows it: its latest message (or latest event,
// when it has had no message), and when its messages came, to count them per hour.

import type { StoredEvent } from '../event-store.ts';
import { TimeSeries } from './time-series.ts';

export interface TopicDetail {
  kind: 'topic';
  /** The latest message, else the latest event of any kind. */
  latest: StoredEvent | null;
  /** Arrival times of its messages (values unused). */
  messages: TimeSeries<0>;
}

export function newTopicDetail(): TopicDetail {
  return { kind: 'topic', latest: null, messages: new TimeSeries<0>() };
}

export function foldTopic(detail: TopicDetail, stored: StoredEvent): boolean {
  const { event } = stored;
  const isMessage = event.type === 'notify';
  if (isMessage) detail.messages.push(event.data.time, 0);
  const latest = detail.latest;
  const latestIsMessage = latest?.event.type === 'notify';
  const newer = !latest || stored.seq > latest.seq;
  // A message beats any other event; among equals, the newer wins.
  if (!latest || (isMessage && (!latestIsMessage || newer)) || (!isMessage && !latestIsMessage && newer)) detail.latest = stored;
  return true;
}
