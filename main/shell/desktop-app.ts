// The desktop app without Electron: the core's parts (subscriptions, notification
// policy, history, tray state, settings) wired to the shell's views (tray, native
// notifications, history window) and to the bundled server. main/electron/ builds the
// views from Electron objects and hands them in; tests hand in small fakes and real
// servers. Every event goes: subscription -> history -> policy -> notifications, and
// to the tray and the window.
import { existsSync } from 'node:fs';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import type { Calendar, Clock } from '../core/clock.ts';
import { describePause, isPaused, notPaused, pauseFor, pauseUntilResumed, pauseUntilTomorrow } from '../core/policy/pause.ts';
import type { DesktopNotification } from '../core/policy/desktop-notification.ts';
import { NotificationPolicy } from '../core/policy/notification-policy.ts';
import type { HistoryStore } from '../core/history/history-store.ts';
import type { Settings } from '../core/settings/settings-schema.ts';
import type { SettingsStore } from '../core/settings/settings-store.ts';
import type { SubscriptionManager, ServerSubscription } from '../core/subscriptions/subscription-manager.ts';
import type { ResumePoints } from '../core/subscriptions/resume-points.ts';
import type { ServerSnapshot } from '../core/subscriptions/subscription-state.ts';
import { TopicBoard } from '../core/tray/topic-board.ts';
import { trayState } from '../core/tray/tray-state.ts';
import type { NotificationState, ReceivedEvent, ServerStatus } from '../ipc/bridge.ts';
import { wireChannel, type PushChannel, type PushContract } from '../ipc/contract.ts';
import { BundledServerSupervisor, type BundledServerEndpoint, type LaunchServerProcess } from './bundled-server-supervisor.ts';
import type { HistoryWindow } from './history-window.ts';
import { loadOrCreateInstallToken } from './install-token.ts';
import type { LoginItem } from './login-item.ts';
import { NotificationPresenter, type CreateNativeNotification, type ShownNotification } from './notification-presenter.ts';
import { externalLink } from './navigation-policy.ts';
import { BUNDLED_SERVER_ID, bundledServerConfigFile, bundledServerSettings, planStartup } from './startup-plan.ts';
import { TrayController, type TrayHandle } from './tray-controller.ts';
import type { TrayAction } from './tray-menu.ts';

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
  bundledServer: (BundledServerEndpoint & { token: string }) | null;
  received: number;
  shownNotifications: readonly ShownNotification[];
  status: ServerStatus[];
}

export class DesktopApp {
  readonly #ports: DesktopPorts;
  readonly #subscriptions: SubscriptionManager;
  readonly #policy: NotificationPolicy;
  readonly #board = new TopicBoard();
  readonly #presenter: NotificationPresenter;
  readonly #tray: TrayController;
  #supervisor: BundledServerSupervisor | null = null;
  #bundled: (BundledServerEndpoint & { token: string }) | null = null;
  /** The user disconnected the bundled server from the tray (for this session). */
  #bundledOff = false;
  #snapshots: ServerSnapshot[] = [];
  #pendingReveal: { server: string; id: string } | null = null;
  #outgoing: ReceivedEvent[] = [];
  #flushTimer: unknown = null;
  #dueTimer: unknown = null;
  #received = 0;

  constructor(ports: DesktopPorts) {
    this.#ports = ports;
    this.#subscriptions = ports.createSubscriptions(ports.history.resumePoints);
    this.#policy = new NotificationPolicy(ports.settings.get(), ports.calendar);
    this.#presenter = new NotificationPresenter({
      create: ports.createNotification,
      clock: ports.clock,
      onClick: (notification) => this.#clicked(notification),
      onFailed: (notification, error) => ports.log(`notification "${notification.title}" failed: ${error}`),
    });
    this.#tray = new TrayController({ tray: ports.tray, appRoot: ports.appRoot, platform: ports.platform, onAction: (action) => void this.handleTrayAction(action) });
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
    if (plan.bundledServer && this.#ports.launchServerProcess) this.#startBundledServer(plan.bundledServer);
    this.#renderTray();
    if (options.showWindow) void this.#ports.window.open();
  }

  /** Stop everything in order; the bundled server flushes its log. */
  async shutdown(): Promise<void> {
    this.#subscriptions.stop();
    this.#ports.clock.clearTimeout(this.#flushTimer);
    this.#ports.clock.clearTimeout(this.#dueTimer);
    await this.#supervisor?.stop();
    this.#ports.window.destroy();
    this.#ports.history.close();
  }

  /** Show the history window at one event (a notification or a recent-events item was clicked). */
  async reveal(server: string, id: string): Promise<void> {
    const pending = { server, id };
    this.#pendingReveal = pending;
    await this.#ports.window.open();
    // A window that was already listening gets it pushed; a new one takes it on subscribe.
    if (this.#pendingReveal === pending) {
      this.#pendingReveal = null;
      this.push('reveal', pending);
    }
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
        return this.#ports.window.open();
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
    if (serverId === BUNDLED_SERVER_ID) return this.#bundled;
    const server = this.#ports.settings.get().servers.find((s) => s.id === serverId);
    return server ? { url: server.url, token: server.token } : null;
  }

  push<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
    this.#ports.window.send(wireChannel(channel), payload);
  }

  diagnostics(): Diagnostics {
    return { bundledServer: this.#bundled, received: this.#received, shownNotifications: this.#presenter.shown, status: this.serverStatus() };
  }

  #startBundledServer(plan: NonNullable<ReturnType<typeof planStartup>['bundledServer']>): void {
    // Created (0600) before the server starts, so both sides read the same token.
    const token = loadOrCreateInstallToken(plan.tokenFile);
    const configFile = bundledServerConfigFile(this.#ports.userData);
    this.#supervisor = new BundledServerSupervisor({
      launch: this.#ports.launchServerProcess!,
      plan: existsSync(configFile) ? { ...plan, configFile } : plan,
      clock: this.#ports.clock,
      events: {
        onListening: (endpoint) => {
          this.#bundled = { ...endpoint, token };
          this.#ports.log(`bundled server listening on ${endpoint.url}`);
          this.#setServers();
        },
        onDown: (reason, retryInMs) => this.#ports.log(`bundled server down: ${reason}${retryInMs === null ? '' : `; restarting in ${retryInMs / 1000} s`}`),
      },
    });
    this.#supervisor.start();
  }

  #setServers(): void {
    const settings = this.#ports.settings.get();
    const servers: Array<ServerSubscription & { enabled: boolean }> = planStartup(settings, this.#ports.userData).servers;
    if (this.#bundled && settings.bundledServer.enabled && !this.#bundledOff) {
      // `since: all` on the very first connection: what the server computed before we
      // subscribed (its first `system` update) is history too.
      servers.unshift({ ...bundledServerSettings(this.#bundled), since: 'all' });
    }
    this.#subscriptions.setServers(servers);
  }

  #applySettings(settings: Settings): void {
    this.#policy.setSettings(settings);
    this.#syncLoginItem(settings.startAtLogin);
    if (!settings.bundledServer.enabled && this.#supervisor) {
      void this.#supervisor.stop();
      this.#supervisor = null;
      this.#bundled = null;
    } else if (settings.bundledServer.enabled && !this.#supervisor && this.#ports.launchServerProcess) {
      const plan = planStartup(settings, this.#ports.userData).bundledServer;
      if (plan) this.#startBundledServer(plan);
    }
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
    // A replayed event already stored is not news: no second notification.
    const isNew = this.#ports.history.record(serverId, event);
    this.#board.apply(serverId, event);
    if (isNew) {
      const verdict = this.#policy.decide(serverId, event, this.#ports.clock.now());
      for (const notification of verdict.show) this.#presenter.show(notification);
      this.#scheduleDue();
    }
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

  /** Digests and repeated critical alerts come due later: wake up when the policy says. */
  #scheduleDue(): void {
    this.#ports.clock.clearTimeout(this.#dueTimer);
    const at = this.#policy.nextDueAt();
    if (at === null) return;
    this.#dueTimer = this.#ports.clock.setTimeout(() => {
      this.#dueTimer = null;
      for (const notification of this.#policy.due(this.#ports.clock.now())) this.#presenter.show(notification);
      this.#scheduleDue();
    }, Math.max(0, at - this.#ports.clock.now()));
  }

  #clicked(notification: DesktopNotification): void {
    this.#policy.acknowledge(notification.serverId, notification.topic);
    const link = notification.click === null ? null : externalLink(notification.click);
    if (link) this.#ports.openExternal(link);
    void this.reveal(notification.serverId, notification.eventId);
  }

  #renderTray(): void {
    const settings = this.#ports.settings.get();
    const now = this.#ports.clock.now();
    const paused = describePause(settings.pause, now, this.#ports.formatTime);
    const state = trayState({
      servers: this.#snapshots,
      levels: this.#board.levels(),
      recent: this.#board.recent(),
      paused: isPaused(settings.pause, now) ? paused : null,
      now,
      formatTime: this.#ports.formatTime,
    });
    const lines = new Map(state.servers.map((line) => [line.serverId, line]));
    const known = [
      ...(settings.bundledServer.enabled ? [{ id: BUNDLED_SERVER_ID, name: 'This computer', enabled: !this.#bundledOff }] : []),
      ...settings.servers.map((s) => ({ id: s.id, name: s.name || s.url, enabled: s.enabled })),
    ];
    this.#tray.render({
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
      },
    });
  }
}
