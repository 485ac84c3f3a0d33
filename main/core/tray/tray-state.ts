// The tray's look as a pure function of what is known: icon level, tooltip, the
// per-server lines and the "recent events" menu (docs/desktop-app.md, "The tray").
//
// Level: critical if any watched topic is critical (even when another server is
// unreachable, the known alarm matters most); else disconnected if any server is not
// live (its topics' state is unknown); else warn if any topic warns; else ok. Ended
// topics no longer count: their stream is over.

import type { Level } from '../../../server/protocol/events.ts';
import type { EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import type { ServerSnapshot } from '../subscriptions/subscription-state.ts';
import type { RecentEvent, TopicLevel } from './topic-board.ts';

export type TrayLevel = Level | 'disconnected';

/** Windows truncates a notification-area tooltip at 127 characters (NOTIFYICONDATA szTip is 128 with the NUL). */
export const TOOLTIP_MAX = 127;

export interface TrayServerLine {
  serverId: string;
  label: string;
  /** Offer "Connect" in the menu: the server failed, closed, or waits for a retry. */
  canConnect: boolean;
}

export interface TrayMenuEvent {
  serverId: string;
  eventId: string;
  label: string;
  level: EventLevel;
}

export interface TrayState {
  level: TrayLevel;
  tooltip: string;
  servers: TrayServerLine[];
  recent: TrayMenuEvent[];
  /** "Notifications paused until 13:00", or null. */
  paused: string | null;
}

export interface TrayInput {
  servers: readonly ServerSnapshot[];
  levels: readonly TopicLevel[];
  recent: readonly RecentEvent[];
  paused: string | null;
  now: number;
  /** Clock time for labels, e.g. 14:05. */
  formatTime(ms: number): string;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function serverLine(server: ServerSnapshot, now: number): string {
  const name = server.name || server.url;
  const c = server.connection;
  switch (c.kind) {
    case 'live':
      return `${name}: live`;
    case 'connecting':
      return `${name}: connecting`;
    case 'reconnecting':
      return `${name}: reconnecting in ${Math.max(0, Math.ceil((c.retryAt - now) / 1000))}s (${c.reason})`;
    case 'failed':
      return `${name}: failed: ${c.reason}`;
    case 'closed':
      return `${name}: closed (${c.reason})`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function trayState(input: TrayInput): TrayState {
  const active = input.levels.filter((topic) => !topic.ended);
  const critical = active.filter((topic) => topic.level === 'critical');
  const warn = active.filter((topic) => topic.level === 'warn');
  const unreachable = input.servers.filter((s) => s.connection.kind !== 'live' && s.connection.kind !== 'closed');

  let level: TrayLevel;
  let headline: string;
  if (critical.length > 0) {
    level = 'critical';
    headline = critical.length === 1 ? `critical: ${critical[0]!.topic}` : `${plural(critical.length, 'critical topic')}`;
  } else if (input.servers.length === 0) {
    level = 'disconnected';
    headline = 'no servers to watch';
  } else if (unreachable.length > 0) {
    level = 'disconnected';
    headline = unreachable.length === 1 ? serverLine(unreachable[0]!, input.now) : `${plural(unreachable.length, 'server')} not connected`;
  } else if (warn.length > 0) {
    level = 'warn';
    headline = warn.length === 1 ? `warning: ${warn[0]!.topic}` : plural(warn.length, 'warning');
  } else {
    level = 'ok';
    headline = 'all ok';
  }
  const extra = level === 'critical' && warn.length > 0 ? `, ${plural(warn.length, 'warning')}` : '';
  const paused = input.paused ? ` · ${input.paused}` : '';

  return {
    level,
    tooltip: clip(`Herald: ${headline}${extra}${paused}`, TOOLTIP_MAX),
    servers: input.servers.map((server) => ({
      serverId: server.serverId,
      label: clip(serverLine(server, input.now), 100),
      canConnect: server.connection.kind === 'failed' || server.connection.kind === 'reconnecting',
    })),
    recent: input.recent.map((event) => ({
      serverId: event.serverId,
      eventId: event.eventId,
      label: clip(`${input.formatTime(event.time)}  ${event.title}`, 60),
      level: event.level,
    })),
    paused: input.paused,
  };
}
