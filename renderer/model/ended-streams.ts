// Which ended streams get a banner: those that ended recently (while the window was
// open, or a few minutes before it opened), and the one the list is filtered to,
// however old. Newest end first.

import type { EndData } from '../../server/protocol/events.ts';
import type { TopicBoard } from './topic-board.ts';

export interface EndedTopic {
  key: string;
  server: string;
  topic: string;
  end: EndData;
}

export function endedToShow(board: TopicBoard, since: number, pickedKey: string | null): EndedTopic[] {
  const ended: EndedTopic[] = [];
  for (const entry of board.entries()) {
    const end = entry.end;
    if (!end) continue;
    if (end.time >= since || entry.key === pickedKey) ended.push({ key: entry.key, server: entry.server, topic: entry.topic, end });
  }
  return ended.sort((a, b) => b.end.time - a.end.time);
}
