// The desktop app without Electron: its parts (subscriptions, notification
// policy, history, tray state, settings) wired to the views (tray, native
// notifications, history window) and to the bundled server. main/electron/ builds the
// views from Electron objects and hands them in; tests hand in small fakes and real
// servers. Every event goes: subscription -> history -> policy -> notifications, and
// to the tray and the window.
import { isUnknownResumeGap, type HeraldEvent } from '../../server/protocol/events.ts';
import type { Clock } from '../../server/protocol/clock.ts';
import type { Calendar } from './notifications/policy/calendar.ts';
import { notPaused, pauseFor, pauseUntilResumed, pauseUntilTomorrow } from './notifications/policy/pause.ts';
import type { DesktopNotification } from './notifications/policy/desktop-notification.ts';
import type { HistoryStore } from './history/history-store.ts';
import type { Settings } from './settings/settings-schema.ts';
import type { SettingsStore } from './settings/settings-store.ts';
import type { SubscriptionManager, ServerSubscription } from './subscriptions/subscription-manager.ts';
import type { ResumePoints } from './subscriptions/resume-points.ts';
import type { ServerSnapshot } from './subscriptions/subscription-state.ts';
import { TopicBoard } from './tray/tray-topic-board.ts';
import type { NotificationState, ReceivedEvent, ServerStatus } from './ipc/bridge.ts';
import { wireChannel, type PushChannel, type PushContract } from './ipc/contract.ts';
import { BundledServerControl, type BundledServerAddress } from './bundled-server/bundled-server-control.ts';
import type { LaunchServerProcess } from './bundled-server/bundled-server-supervisor.ts';
import type { HistoryWindow } from './window/history-window.ts';
import type { LoginItem } from './startup/login-item.ts';
import { NotificationCenter } from './notifications/notification-center.ts';
import type { CreateNativeNotification, ShownNotification } from './notifications/notification-presenter.ts';
import { webLink } from '../../server/protocol/web-link.ts';
import { BUNDLED_SERVER_ID, bundledServerSettings } from './bundled-server/bundled-server-plan.ts';
import { planStartup } from './startup/startup-plan.ts';
import { TrayController, type TrayHandle, type TrayRendering } from './tray/tray-controller.ts';
import { trayViewOf } from './tray/tray-view-model.ts';
import type { TrayAction } from './tray/tray-menu.ts';

export interface DesktopPorts {
  clock: Clock;
  calendar: Calendar;
  platform: NodeJS.Platform;
  /** Where resources/tray/ is (the app's root, or the asar archive). */
  appRoot: string;
  userData: string;
  settings: SettingsStore;
  history: HistoryStore;
  createSubscriptions(resumePoints: ResumePoints): SubscriptionManager;
  tray: TrayHandle;
  createNotification: CreateNativeNotification;
  /** Electron's Notification.isSupported(). */
  notificationsSupported: boolean;
  window: HistoryWindow;
  loginItem: LoginItem;
  /** Starts the bundled server's process; null where it cannot run. */
  launchServerProcess: LaunchServerProcess | null;
  openExternal(url: string): void;
  quit(): void;
  formatTime(ms: number): string;
  log(message: string): void;
}

export interface Diagnostics {
  bundledServer: BundledServerAddress | null;
  received: number;
  notificationsSupported: boolean;
  shownNotifications: readonly ShownNotification[];
  status: ServerStatus[];
  /** What the tray shows (null before the first render). */
  tray: TrayRendering | null;
  /** Things the user was told once (in the log and on top of the tray menu). */
  notices: readonly string[];
}

/** Shown on the tray when Notification.isSupported() is false. */
export const NOTIFICATIONS_UNSUPPORTED_NOTICE =
  'Notifications cannot be shown here (no notification service is running); events are still kept in the history';

export class DesktopApp {
  readonly #ports: DesktopPorts;
  readonly #subscriptions: SubscriptionManager;
  readonly #notifications: NotificationCenter;
  readonly #board = new TopicBoard();
  readonly #tray: TrayController;
  /** Null where the server's process cannot run (no launcher). */
  readonly #bundledServer: BundledServerControl | null;
  /** The user disconnected the bundled server from the tray (for this session). */
  #bundledOff = false;
  #snapshots: ServerSnapshot[] = [];
  #pendingReveal: { server: string; id: string } | null = null;
  #outgoing: ReceivedEvent[] = [];
  #flushTimer: unknown = null;
  #received = 0;
  /** Per server, the resume id of the last log reset handled (setApartEventIds once per reset). */
  readonly #resetSince = new Map<string, string>();
  /** Server ids in the settings, to forget a removed server's topics in the tray. */
  #knownServers: Set<string>;
  readonly #notices: string[] = [];

  constructor(ports: DesktopPorts) {
    this.#ports = ports;
    this.#subscriptions = ports.createSubscriptions(ports.history.resumePoints);
    this.#knownServers = new Set(ports.settings.get().servers.map((s) => s.id));
    this.#notifications = new NotificationCenter({
      settings: ports.settings.get(),
      calendar: ports.calendar,
      clock: ports.clock,
      createNotification: ports.createNotification,
      supported: ports.notificationsSupported,
      onClick: (notification) => this.#clicked(notification),
      log: ports.log,
    });
    this.#bundledServer = ports.launchServerProcess
      ? new BundledServerControl({ launch: ports.launchServerProcess, clock: ports.clock, userData: ports.userData, log: ports.log, onListening: () => this.#setServers() })
      : null;
    this.#tray = new TrayController({ tray: ports.tray, appRoot: ports.appRoot, platform: ports.platform, onAction: (action) => void this.handleTrayAction(action) });
    if (!ports.notificationsSupported) this.addNotice(NOTIFICATIONS_UNSUPPORTED_NOTICE);
  }

  /** Tell the user something once: in the log, the diagnostics and on top of the tray menu. */
  addNotice(notice: string): void {
    if (this.#notices.includes(notice)) return;
    this.#notices.push(notice);
    this.#ports.log(notice);
    this.#renderTray();
  }

  /** Subscribe, start the bundled server, draw the tray; open the window unless started hidden. */
  start(options: { showWindow: boolean }): void {
    const settings = this.#ports.settings.get();
    const plan = planStartup(settings, this.#ports.userData);
    for (const warning of plan.warnings) this.#ports.log(warning);
    this.#subscriptions.on('event', (serverId, event) => this.#onEvent(serverId, event));
    this.#subscriptions.on('status', (snapshots) => this.#onStatus(snapshots));
    this.#subscriptions.on('problem', (serverId, message) => this.#ports.log(`${serverId}: ${message}`));
    this.#ports.settings.onChange((next) => this.#applySettings(next));
    this.#syncLoginItem(settings.startAtLogin);
    this.#setServers();
    if (plan.bundledServer) this.#bundledServer?.start(plan.bundledServer);
    this.#renderTray();
    if (options.showWindow) void this.#ports.window.open();
  }

  /** Stop everything in order; the bundled server flushes its log. */
  async shutdown(): Promise<void> {
    this.#subscriptions.stop();
    this.#ports.clock.clearTimeout(this.#flushTimer);
    this.#notifications.stop();
    await this.#bundledServer?.stop();
    this.#ports.window.destroy();
    this.#ports.history.close();
  }

  /** Show the history window at one event (a notification or a recent-events item was clicked). */
  async reveal(server: string, id: string): Promise<void> {
    const pending = { server, id };
    this.#pendingReveal = pending;
    await this.#openWindow();
    // A window that was already listening gets it pushed; a new one takes it on subscribe.
    if (this.#pendingReveal === pending) {
      this.#pendingReveal = null;
      this.push('reveal', pending);
    }
  }

  /** Open the history window: the alarms the badge counted have been seen. */
  async #openWindow(): Promise<void> {
    this.#board.acknowledge();
    this.#renderTray();
    await this.#ports.window.open();
  }

  takePendingReveal(): { server: string; id: string } | null {
    const pending = this.#pendingReveal;
    this.#pendingReveal = null;
    return pending;
  }

  async handleTrayAction(action: TrayAction): Promise<void> {
    const now = this.#ports.clock.now();
    switch (action.kind) {
      case 'open-history':
        return this.#openWindow();
      case 'reveal':
        return this.reveal(action.server, action.id);
      case 'pause-for':
        return this.setPause(pauseFor(now, action.ms));
      case 'pause-until-tomorrow':
        return this.setPause(pauseUntilTomorrow(now, this.#ports.calendar));
      case 'pause-until-resumed':
        return this.setPause(pauseUntilResumed());
      case 'resume':
        return this.setPause(notPaused);
      case 'connect':
      case 'disconnect':
        return this.setServerConnected(action.server, action.kind === 'connect');
      case 'set-start-at-login':
        this.#ports.settings.update({ startAtLogin: action.enabled });
        return;
      case 'quit':
        return this.#ports.quit();
    }
  }

  setPause(pause: Settings['pause']): void {
    this.#ports.settings.update({ pause });
  }

  setServerConnected(serverId: string, connected: boolean): void {
    if (serverId === BUNDLED_SERVER_ID) {
      this.#bundledOff = !connected;
      this.#setServers();
      return;
    }
    const settings = this.#ports.settings.get();
    const server = settings.servers.find((s) => s.id === serverId);
    if (!server) return;
    if (server.enabled && connected) {
      this.#subscriptions.reconnect(serverId);
      return;
    }
    this.#ports.settings.update({ servers: settings.servers.map((s) => (s.id === serverId ? { ...s, enabled: connected } : s)) });
  }

  notificationState(): NotificationState {
    const { pause, mutedTopics } = this.#ports.settings.get();
    const now = this.#ports.clock.now();
    const pausedUntil = pause.indefinitely ? Number.POSITIVE_INFINITY : pause.until !== null && pause.until > now ? pause.until : null;
    return { pausedUntil, mutedTopics: [...mutedTopics] };
  }

  serverStatus(): ServerStatus[] {
    return this.#snapshots.map((snapshot) => ({
      server: snapshot.serverId,
      label: snapshot.name || snapshot.url,
      url: snapshot.url,
      connection: snapshot.connection,
      ended: snapshot.ended,
    }));
  }

  /** Where a server is and its token, for the jobs API; null for an unknown id. */
  serverAddress(serverId: string): { url: string; token: string } | null {
    if (serverId === BUNDLED_SERVER_ID) return this.#bundledServer?.address ?? null;
    const server = this.#ports.settings.get().servers.find((s) => s.id === serverId);
    return server ? { url: server.url, token: server.token } : null;
  }

  push<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
    this.#ports.window.send(wireChannel(channel), payload);
  }

  diagnostics(): Diagnostics {
    return {
      bundledServer: this.#bundledServer?.address ?? null,
      received: this.#received,
      notificationsSupported: this.#ports.notificationsSupported,
      shownNotifications: this.#notifications.shown,
      status: this.serverStatus(),
      tray: this.#tray.rendered,
      notices: [...this.#notices],
    };
  }

  #setServers(): void {
    const settings = this.#ports.settings.get();
    const servers: Array<ServerSubscription & { enabled: boolean }> = planStartup(settings, this.#ports.userData).servers;
    const bundled = this.#bundledServer?.address;
    if (bundled && settings.bundledServer.enabled && !this.#bundledOff) {
      // `since: all` on the very first connection: what the server computed before we
      // subscribed (its first `system` update) is history too.
      servers.unshift({ ...bundledServerSettings(bundled), since: 'all' });
    }
    this.#subscriptions.setServers(servers);
  }

  #applySettings(settings: Settings): void {
    const kept = new Set(settings.servers.map((s) => s.id));
    for (const id of this.#knownServers) if (!kept.has(id)) this.#board.forgetServer(id);
    this.#knownServers = kept;
    this.#notifications.setSettings(settings);
    this.#syncLoginItem(settings.startAtLogin);
    const plan = planStartup(settings, this.#ports.userData).bundledServer;
    if (!plan) void this.#bundledServer?.stop();
    else this.#bundledServer?.start(plan);
    this.#setServers();
    this.push('notification-state', this.notificationState());
    this.#renderTray();
  }

  #syncLoginItem(enabled: boolean): void {
    try {
      if (this.#ports.loginItem.isEnabled() !== enabled) this.#ports.loginItem.setEnabled(enabled);
    } catch (error) {
      this.#ports.log(`could not ${enabled ? 'set' : 'remove'} start at login: ${(error as Error).message}`);
    }
  }

  #onEvent(serverId: string, event: HeraldEvent): void {
    this.#received++;
    // The server's log was reset: its new ids may repeat ones already in history.
    // One gap comes per topic of the connection, all with the same `since`.
    if (isUnknownResumeGap(event) && this.#resetSince.get(serverId) !== event.data.since) {
      this.#resetSince.set(serverId, event.data.since);
      this.#ports.history.setApartEventIds(serverId);
    }
    // A replayed event already stored is not news: no second notification.
    const isNew = this.#ports.history.record(serverId, event);
    this.#board.apply(serverId, event, isNew);
    if (isNew) this.#notifications.offer(serverId, event);
    this.#outgoing.push({ server: serverId, event });
    this.#flushSoon();
  }

  #onStatus(snapshots: ServerSnapshot[]): void {
    this.#snapshots = snapshots;
    this.push('status', this.serverStatus());
    this.#renderTray();
  }

  /** Events reach the window and the tray once per tick, however many arrived in it. */
  #flushSoon(): void {
    if (this.#flushTimer !== null) return;
    this.#flushTimer = this.#ports.clock.setTimeout(() => {
      this.#flushTimer = null;
      const batch = this.#outgoing;
      this.#outgoing = [];
      if (batch.length > 0) this.push('events', batch);
      this.#renderTray();
    }, 0);
  }

  #clicked(notification: DesktopNotification): void {
    const link = notification.click === null ? null : webLink(notification.click);
    if (link) this.#ports.openExternal(link);
    void this.reveal(notification.serverId, notification.eventId);
  }

  #renderTray(): void {
    this.#tray.render(
      trayViewOf({
        settings: this.#ports.settings.get(),
        snapshots: this.#snapshots,
        board: this.#board,
        bundledOff: this.#bundledOff,
        now: this.#ports.clock.now(),
        formatTime: this.#ports.formatTime,
        notices: this.#notices,
      }),
    );
  }
}
