// What the tray shows, from what the app knows: the core's tray state (level, tooltip,
// recent events, server lines) plus the servers the user can connect or disconnect
// (the bundled one and each in the settings, enabled or not).
import type { Settings } from '../core/settings/settings-schema.ts';
import type { ServerSnapshot } from '../core/subscriptions/subscription-state.ts';
import type { TopicBoard } from '../core/tray/topic-board.ts';
import { describePause, isPaused } from '../core/policy/pause.ts';
import { trayState } from '../core/tray/tray-state.ts';
import { BUNDLED_SERVER_ID } from './startup-plan.ts';
import type { TrayView } from './tray-controller.ts';

export function trayViewOf(input: {
  settings: Settings;
  snapshots: readonly ServerSnapshot[];
  board: TopicBoard;
  /** The user disconnected the bundled server for this session. */
  bundledOff: boolean;
  now: number;
  formatTime(ms: number): string;
  notices: readonly string[];
}): TrayView {
  const { settings, now } = input;
  const state = trayState({
    servers: input.snapshots,
    levels: input.board.levels(),
    recent: input.board.recent(),
    paused: isPaused(settings.pause, now) ? describePause(settings.pause, now, input.formatTime) : null,
    now,
    formatTime: input.formatTime,
  });
  const lines = new Map(state.servers.map((line) => [line.serverId, line]));
  const known = [
    ...(settings.bundledServer.enabled ? [{ id: BUNDLED_SERVER_ID, name: 'This computer', enabled: !input.bundledOff }] : []),
    ...settings.servers.map((s) => ({ id: s.id, name: s.name || s.url, enabled: s.enabled })),
  ];
  return {
    level: state.level,
    tooltip: state.tooltip,
    menu: {
      recent: state.recent.map((r) => ({ server: r.serverId, id: r.eventId, label: r.label })),
      pauseDescription: state.paused,
      servers: known.map((s) => ({
        id: s.id,
        label: s.enabled ? (lines.get(s.id)?.label ?? `${s.name}: connecting`) : `${s.name}: disconnected`,
        enabled: s.enabled,
        canReconnect: s.enabled && (lines.get(s.id)?.canConnect ?? false),
      })),
      startAtLogin: settings.startAtLogin,
      notices: input.notices,
    },
  };
}
