// The tray's context menu as plain data: main/electron/tray-view.ts turns each item
// into an Electron MenuItem whose click dispatches the item's action. Built fresh
// whenever what it shows changes, and always attached (on Linux a tray icon without a
// context menu shows nothing at all: Electron docs, Tray "Platform Considerations").

export type TrayAction =
  | { kind: 'open-history' }
  | { kind: 'reveal'; server: string; id: string }
  | { kind: 'pause-for'; ms: number }
  | { kind: 'pause-until-tomorrow' }
  | { kind: 'pause-until-resumed' }
  | { kind: 'resume' }
  | { kind: 'connect'; server: string }
  | { kind: 'disconnect'; server: string }
  | { kind: 'set-start-at-login'; enabled: boolean }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'normal'; id: string; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; id: string; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; id: string; label: string; submenu: TrayMenuItem[] }
  | { type: 'separator'; id: string };

export interface RecentEntry {
  server: string;
  id: string;
  /** One line: `12:04 job/build: succeeded`. */
  label: string;
}

export interface ServerEntry {
  id: string;
  /** One line with the state: `CI: live`, `CI: reconnecting in 4s (...)`, `CI: disconnected`. */
  label: string;
  /** The user wants it connected (settings `enabled`). */
  enabled: boolean;
  /** Connected but failed or waiting for a retry: offer to try again now. */
  canReconnect: boolean;
}

export interface TrayMenuInput {
  recent: readonly RecentEntry[];
  /** `Notifications paused until 14:05`, or null when not paused. */
  pauseDescription: string | null;
  servers: readonly ServerEntry[];
  startAtLogin: boolean;
  /** Things the user should know (no notification server, tokens unencrypted), one line each. */
  notices: readonly string[];
}

export const PAUSE_ONE_HOUR_MS = 60 * 60 * 1000;
/** The menu stays short: the history window has the rest. */
export const MAX_RECENT_IN_MENU = 10;
/** Menu labels are one line; long event text is cut. */
const MAX_LABEL = 80;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_LABEL ? `${line.slice(0, MAX_LABEL - 1)}…` : line;
}

function recentItems(recent: readonly RecentEntry[]): TrayMenuItem[] {
  if (recent.length === 0) return [{ type: 'normal', id: 'recent-none', label: 'No events yet', enabled: false }];
  return recent.slice(0, MAX_RECENT_IN_MENU).map((entry) => ({
    type: 'normal',
    id: `recent:${entry.server}:${entry.id}`,
    label: clip(entry.label),
    enabled: true,
    action: { kind: 'reveal', server: entry.server, id: entry.id },
  }));
}

function pauseItems(pauseDescription: string | null): TrayMenuItem[] {
  if (pauseDescription !== null) {
    return [
      { type: 'normal', id: 'pause-state', label: clip(pauseDescription), enabled: false },
      { type: 'normal', id: 'resume', label: 'Resume notifications', enabled: true, action: { kind: 'resume' } },
    ];
  }
  return [
    {
      type: 'submenu',
      id: 'pause',
      label: 'Pause notifications',
      submenu: [
        { type: 'normal', id: 'pause-hour', label: 'For 1 hour', enabled: true, action: { kind: 'pause-for', ms: PAUSE_ONE_HOUR_MS } },
        { type: 'normal', id: 'pause-tomorrow', label: 'Until tomorrow', enabled: true, action: { kind: 'pause-until-tomorrow' } },
        { type: 'normal', id: 'pause-resumed', label: 'Until I resume', enabled: true, action: { kind: 'pause-until-resumed' } },
      ],
    },
  ];
}

function serverItems(servers: readonly ServerEntry[]): TrayMenuItem[] {
  if (servers.length === 0) return [{ type: 'normal', id: 'servers-none', label: 'No servers', enabled: false }];
  return servers.map((server): TrayMenuItem => {
    const connect: TrayMenuItem = {
      type: 'normal',
      id: `connect:${server.id}`,
      label: server.enabled ? 'Connect now' : 'Connect',
      enabled: true,
      action: { kind: 'connect', server: server.id },
    };
    const disconnect: TrayMenuItem = { type: 'normal', id: `disconnect:${server.id}`, label: 'Disconnect', enabled: true, action: { kind: 'disconnect', server: server.id } };
    return {
      type: 'submenu',
      id: `server:${server.id}`,
      label: clip(server.label),
      submenu: !server.enabled ? [connect] : server.canReconnect ? [connect, disconnect] : [disconnect],
    };
  });
}

function noticeItems(notices: readonly string[]): TrayMenuItem[] {
  if (notices.length === 0) return [];
  return [
    ...notices.map((notice, i): TrayMenuItem => ({ type: 'normal', id: `notice:${i}`, label: clip(notice), enabled: false })),
    { type: 'separator', id: 'sep-notices' },
  ];
}

export function buildTrayMenu(input: TrayMenuInput): TrayMenuItem[] {
  return [
    ...noticeItems(input.notices),
    { type: 'normal', id: 'open-history', label: 'Open history', enabled: true, action: { kind: 'open-history' } },
    { type: 'separator', id: 'sep-recent' },
    { type: 'submenu', id: 'recent', label: 'Recent events', submenu: recentItems(input.recent) },
    { type: 'separator', id: 'sep-pause' },
    ...pauseItems(input.pauseDescription),
    { type: 'separator', id: 'sep-servers' },
    { type: 'submenu', id: 'servers', label: 'Servers', submenu: serverItems(input.servers) },
    { type: 'separator', id: 'sep-app' },
    {
      type: 'checkbox',
      id: 'start-at-login',
      label: 'Start at login',
      checked: input.startAtLogin,
      action: { kind: 'set-start-at-login', enabled: !input.startAtLogin },
    },
    { type: 'normal', id: 'quit', label: 'Quit Herald', enabled: true, action: { kind: 'quit' } },
  ];
}

/** Every action reachable in a menu (for tests and for dispatch tables). */
export function menuActions(items: readonly TrayMenuItem[]): TrayAction[] {
  return items.flatMap((item) => {
    if (item.type === 'submenu') return menuActions(item.submenu);
    if (item.type === 'separator' || item.action === undefined) return [];
    return [item.action];
  });
}
