// The tray's look as a pure function of what is known: icon level, tooltip, the
// sources' summary and the worst of them, the per-server lines, the "recent events"
// menu and the badge (docs/desktop-app.md, "The tray").
//
// Level: critical if any source is critical (even when another server is unreachable,
// the known alarm matters most); else disconnected if any server is not live (its
// sources' state is unknown); else warn if any source warns; else ok. The summary
// ("All 7 sources OK", "2 need attention: probe/site, system") is the one the
// window's overview says (server/protocol/source-status.ts): an ended topic no longer
// counts, a job counts by its last finished run.

import type { Level } from '../../../server/protocol/events.ts';
import type { EventLevel } from '../../../server/protocol/event-vocabulary.ts';
import { summarizeSources, worstSourceNames, type SourceState } from '../../../server/protocol/source-status.ts';
import type { ServerSnapshot } from '../subscriptions/subscription-state.ts';
import type { RecentEvent } from './tray-topic-board.ts';

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
  /** The sources' summary, as the overview's header says it. */
  summary: string;
  /** The sources that need attention, worst first, at most MAX_ATTENTION: `probe/site: connection refused`. */
  attention: string[];
  /** Alarms not seen yet (the badge; 0 shows none). */
  badge: number;
  servers: TrayServerLine[];
  recent: TrayMenuEvent[];
  /** "Notifications paused until 13:00", or null. */
  paused: string | null;
}

/** Sources named in the menu at most. */
export const MAX_ATTENTION = 5;

export interface TrayInput {
  servers: readonly ServerSnapshot[];
  sources: readonly SourceState[];
  /** Alarms since the history window was last opened. */
  unacknowledged: number;
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
  const summary = summarizeSources(input.sources);
  const unreachable = input.servers.filter((s) => s.connection.kind !== 'live' && s.connection.kind !== 'closed');
  const attention = summary.attention.length > 0 ? `${summary.text}: ${worstSourceNames(summary)}` : summary.text;

  let level: TrayLevel;
  let headline: string;
  if (summary.level === 'critical') {
    level = 'critical';
    headline = attention;
  } else if (input.servers.length === 0) {
    level = 'disconnected';
    headline = 'no servers to watch';
  } else if (unreachable.length > 0) {
    level = 'disconnected';
    headline = unreachable.length === 1 ? serverLine(unreachable[0]!, input.now) : `${plural(unreachable.length, 'server')} not connected`;
  } else {
    level = summary.level === 'warn' ? 'warn' : 'ok';
    headline = attention;
  }
  const paused = input.paused ? ` · ${input.paused}` : '';

  return {
    level,
    tooltip: clip(`Herald: ${headline}${paused}`, TOOLTIP_MAX),
    summary: summary.text,
    attention: summary.attention.slice(0, MAX_ATTENTION).map((s) => clip(s.reason ? `${s.source.id}: ${s.reason}` : s.source.id, 80)),
    badge: input.unacknowledged,
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
