// The history window: wires the bridge to the model (store, filtered view, topic
// board) and the views. Events arrive through a per-frame batcher, so a burst costs
// one DOM update per frame whatever the rate.

import type { Bridge, NotificationState, ReceivedEvent, ServerStatus } from '../main/app/ipc/bridge.ts';
import { compilePattern, patternProblem } from '../server/protocol/topics.ts';
import { endedToShow } from './model/ended-streams.ts';
import { parseJobTopic } from './model/job-topic.ts';
import { EventStore, type StoredEvent } from './model/event-store.ts';
import { type EventFilter, searchWords } from './model/event-filter.ts';
import { exportFileName, toCsv, toJson } from './model/export-format.ts';
import { FilteredView } from './model/filtered-view.ts';
import { createFrameBatcher, type FrameScheduler } from './model/frame-batcher.ts';
import { SearchWarmer, type IdleScheduler } from './model/search-warmer.ts';
import { OverviewModel } from './model/overview/overview-model.ts';
import { TopicBoard, topicKey } from './model/topic-board.ts';
import { ConnectionStatus } from './view/connection-status.ts';
import { DetailsPane } from './view/details-pane.ts';
import { downloadText } from './view/download.ts';
import { el, setAttr } from './view/element.ts';
import { EndedBanners } from './view/ended-banners.ts';
import { EventList } from './view/event-list.ts';
import { FilterBar } from './view/filter-bar.ts';
import { OverviewView } from './view/overview/overview-view.ts';
import { SettingsView } from './view/settings-view.ts';
import { initTheme, themeSelect } from './view/theme.ts';
import { Toolbar } from './view/toolbar.ts';
import { TopicList } from './view/topic-list.ts';

export interface AppOptions {
  now(): number;
  /** requestAnimationFrame in the browser. */
  frame: FrameScheduler;
  /** requestIdleCallback in the browser (the default). */
  idle?: IdleScheduler;
  /** How many stored events to open with (the history's newest). */
  historyLimit?: number;
  /** The view to open with (the overview unless said). */
  initialView?: AppView;
  /** The reader switched views (main.ts keeps it in the address). */
  onViewChange?(view: AppView): void;
}

export type AppView = 'overview' | 'events' | 'settings';

/** Run `work` when the window is idle (requestIdleCallback; a timer where there is none, as in Safari, with a short moment to work in). */
const whenIdle: IdleScheduler = (work) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(() => {
    const until = performance.now() + 10;
    work({ timeRemaining: () => Math.max(0, until - performance.now()) });
  }, 50);
};

export function isAppView(value: unknown): value is AppView {
  return value === 'overview' || value === 'events' || value === 'settings';
}

/** Streams that ended this long before the window opened still get a banner. */
const RECENT_END_MS = 5 * 60_000;

export interface HeraldApp {
  readonly store: EventStore;
  readonly view: FilteredView;
  /** Resolves once stored history is in the list. */
  readonly ready: Promise<void>;
  /** Events whose search text is still to be made in idle time (the benchmark waits for 0). */
  searchPending(): number;
  stop(): void;
}

export function startApp(root: HTMLElement, bridge: Bridge, options: AppOptions): HeraldApp {
  const { now } = options;
  const openedAt = now();
  const store = new EventStore();
  // The search text of every event is made in idle time, before the first keystroke needs it.
  const warmer = new SearchWarmer(options.idle ?? whenIdle);
  const view = new FilteredView(store);
  const board = new TopicBoard();
  const model = new OverviewModel();
  initTheme();
  let servers: readonly ServerStatus[] = [];
  let notifications: NotificationState = { pausedUntil: null, mutedTopics: [] };
  let pickedTopic: { key: string; server: string; topic: string } | null = null;
  const offs: Array<() => void> = [];

  const status = new ConnectionStatus(bridge.capabilities);
  const topics = new TopicList({
    onPick(picked) {
      pickedTopic = picked;
      filters.setTopic(picked?.server ?? null, picked?.topic ?? null);
    },
  });
  const list = new EventList(view, {
    now,
    onSelect: () => showDetails(),
    onOpen: () => details.focus(),
  });
  const filters = new FilterBar({ now, onChange: (filter) => applyFilter(filter) });
  const banners = new EndedBanners({
    onShow(ended) {
      pickedTopic = { key: ended.key, server: ended.server, topic: ended.topic };
      filters.setTopic(ended.server, ended.topic);
    },
  });
  const details = new DetailsPane(bridge.capabilities, {
    filterTopic(stored) {
      const key = topicKey(stored.server, stored.event.data.topic);
      pickedTopic = { key, server: stored.server, topic: stored.event.data.topic };
      filters.setTopic(stored.server, stored.event.data.topic);
    },
    setMuted: (topic, muted) => bridge.setTopicMuted(topic, muted),
    cancel: (stored, job) => bridge.cancelJob({ server: stored.server, ...job }),
    runAgain: async (stored, job) => {
      const started = await bridge.runJob(stored.server, job.job);
      pickedTopic = { key: topicKey(stored.server, started.topic), server: stored.server, topic: started.topic };
      filters.setTopic(stored.server, started.topic);
    },
    loadLog: (stored, job) => bridge.jobLog({ server: stored.server, ...job }),
    mayRunJob: (stored, job) => mayRunJob(stored.server, job.job),
  });
  const toolbar = new Toolbar(bridge.capabilities, {
    now,
    pause: (until) => bridge.pauseNotifications(until),
    resume: () => bridge.resumeNotifications(),
    exportView(format) {
      const rows = view.newestFirst();
      const text = format === 'json' ? toJson(rows) : toCsv(rows);
      downloadText(exportFileName(format, now()), format === 'json' ? 'application/json' : 'text/csv', text);
    },
    count: () => store.size,
    async clear() {
      await bridge.clearHistory();
      store.clear();
      warmer.clear();
      board.clear();
      model.clear();
      overview.reset();
      view.rebuild();
      list.select(null, false);
      list.reset();
      scheduleChrome();
    },
  });
  const settings = new SettingsView(bridge);
  const overview = new OverviewView(model, {
    now,
    serverLabel: (server) => (servers.length > 1 ? (servers.find((s) => s.server === server)?.label ?? server) : null),
    actions: {
      async runJob(server, job) {
        await bridge.runJob(server, job);
      },
      cancelRun: (server, job, run) => bridge.cancelJob({ server, job, run }),
      mayRunJob: (server, job) => mayRunJob(server, job),
      showTopic(server, topic) {
        pickedTopic = { key: topicKey(server, topic), server, topic };
        filters.setTopic(server, topic);
        showPage('events');
      },
    },
  });

  // Layout: header (title, connection, tabs, actions); overview, events and settings pages.
  const tab = (page: AppView, text: string) => el('button', { text, attrs: { type: 'button', 'data-view': page }, on: { click: () => showPage(page) } });
  const tabs = { overview: tab('overview', 'Overview'), events: tab('events', 'Events'), settings: tab('settings', 'Settings') };
  const overviewPage = el('main', { class: 'overview-page', attrs: { 'aria-label': 'Overview', hidden: true } }, [overview.element]);
  const eventsPage = el('main', { class: 'events-page', attrs: { 'aria-label': 'Events', hidden: true } }, [
    topics.element,
    el('section', { class: 'events', attrs: { 'aria-label': 'Event list' } }, [filters.element, banners.element, list.element]),
    details.element,
  ]);
  const settingsPage = el('main', { class: 'settings-page', attrs: { hidden: true, 'aria-label': 'Settings' } }, [settings.element]);
  const pages: Record<AppView, HTMLElement> = { overview: overviewPage, events: eventsPage, settings: settingsPage };
  const mode = bridge.capabilities.host === 'web' ? 'Web dashboard' : 'History';
  root.replaceChildren(
    el('header', { class: 'topbar' }, [
      el('h1', {}, ['Herald ', el('span', { class: 'mode', text: mode })]),
      status.element,
      el('nav', { class: 'tabs', attrs: { 'aria-label': 'Views' } }, [tabs.overview, tabs.events, tabs.settings]),
      toolbar.element,
      themeSelect(),
    ]),
    overviewPage,
    eventsPage,
    settingsPage,
  );

  let currentPage: AppView | null = null;
  /** False while the side list waits for the window to be idle to fold the history in. */
  let topicsFolded = true;
  /** Fold the whole store into the side list again. */
  function foldTopics(): void {
    topicsFolded = true;
    board.clear();
    board.add(store.items);
    scheduleChrome();
  }
  function showPage(page: AppView): void {
    const changed = currentPage !== null && currentPage !== page;
    currentPage = page;
    for (const [name, element] of Object.entries(pages) as Array<[AppView, HTMLElement]>) {
      element.hidden = name !== page;
      // aria-current="" would mean false (WAI-ARIA 1.2, aria-current): set "page" or remove it.
      setAttr(tabs[name], 'aria-current', name === page ? 'page' : null);
    }
    overview.setVisible(page === 'overview');
    if (page === 'settings') {
      void settings.load().then(() => settings.focus());
    } else if (page === 'events') {
      if (!topicsFolded) foldTopics();
      list.measure();
      topics.measure();
    }
    if (changed) options.onViewChange?.(page);
  }

  function applyFilter(filter: EventFilter): void {
    if (pickedTopic && (filter.topic !== pickedTopic.topic || filter.server !== pickedTopic.server)) pickedTopic = null;
    view.setFilter(filter);
    topics.search(searchWords(filter.text));
    filters.showTopicProblem(view.topicProblem);
    list.reset();
    scheduleChrome();
  }

  const mayRunJob = (server: string, job: string): boolean => bridge.mayRunJob?.(server, job) ?? true;

  function contextOf(stored: StoredEvent) {
    const entry = board.get(stored.server, stored.event.data.topic);
    const server = servers.find((s) => s.server === stored.server);
    const end = entry?.end ?? server?.ended[stored.event.data.topic] ?? null;
    const muted = notifications.mutedTopics.some((m) => patternProblem(m) === null && compilePattern(m).matches(stored.event.data.topic));
    return { end, muted };
  }

  let detailsSignature = '';
  /** What the details show depends on: the event, whether its topic ended, whether it is muted, whether its job may run. */
  const signatureOf = (stored: StoredEvent | null, context: { end: { time: number } | null; muted: boolean }): string => {
    const job = stored ? parseJobTopic(stored.event.data.topic) : null;
    return `${stored?.key ?? ''}|${context.end?.time ?? ''}|${context.muted}|${job ? mayRunJob(stored!.server, job.job) : ''}`;
  };
  function showDetails(): void {
    const stored = list.selected;
    const context = stored ? contextOf(stored) : { end: null, muted: false };
    detailsSignature = signatureOf(stored, context);
    details.show(stored, context);
  }

  // Side list, status, banners and details follow the events, at most once a frame.
  let chromeScheduled = false;
  let knownTopicsVersion = -1;
  function scheduleChrome(): void {
    if (chromeScheduled) return;
    chromeScheduled = true;
    options.frame(renderChrome);
  }
  function renderChrome(): void {
    chromeScheduled = false;
    const time = now();
    topics.picked = pickedTopic?.key ?? null;
    topics.render(board, servers, time);
    status.render(servers, time);
    banners.render(endedToShow(board, openedAt - RECENT_END_MS, pickedTopic?.key ?? null));
    if (board.version !== knownTopicsVersion) {
      knownTopicsVersion = board.version;
      filters.setKnownTopics([...new Set(board.entries().map((e) => e.topic))]);
    }
    const stored = list.selected;
    if (stored && store.find(stored.server, stored.event.id) === stored) {
      if (signatureOf(stored, contextOf(stored)) !== detailsSignature) showDetails();
    } else if (stored) {
      // The selected event was cleared or trimmed away.
      list.select(null, false);
    }
  }

  const batcher = createFrameBatcher<ReceivedEvent>((events) => {
    const added = store.addLive(events);
    if (added.length === 0) return;
    warmer.add(added);
    const shown = view.addLive(added);
    board.add(added);
    model.add(added);
    list.inserted(shown);
    overview.render();
    renderChrome();
  }, options.frame);

  // A "reconnecting in N s" countdown needs a tick; only while something counts down.
  const tick = setInterval(() => {
    if (servers.some((s) => s.connection.kind === 'reconnecting')) scheduleChrome();
  }, 500);
  // A message row says when it came relative to now ("3 minutes ago"): refill the rows in view now and then.
  const relativeTick = setInterval(() => {
    if (!eventsPage.hidden) list.refresh();
  }, 30_000);

  offs.push(bridge.onEvents((events) => batcher.push(events)));
  offs.push(
    bridge.onStatus((next) => {
      servers = next;
      scheduleChrome();
    }),
  );
  offs.push(
    bridge.onNotificationState((state) => {
      notifications = state;
      toolbar.renderNotifications(state);
      scheduleChrome();
    }),
  );
  offs.push(
    bridge.onReveal(({ server, id }) => {
      const stored = store.find(server, id);
      if (!stored) return;
      showPage('events');
      if (view.indexOf(stored) < 0) filters.clear();
      list.select(stored);
      list.focus();
    }),
  );

  // Global keys: "/" goes to the search box (as on GitHub and MDN), Escape leaves it.
  const onKey = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement | null;
    const typing = target?.closest('input, textarea, select, [contenteditable]') !== null && target !== null;
    if (event.key === '/' && !typing && !eventsPage.hidden) {
      event.preventDefault();
      filters.search.focus();
    } else if (event.key === 'Escape' && target === filters.search) {
      list.focus();
    }
  };
  document.addEventListener('keydown', onKey);
  const onResize = (): void => {
    list.measure();
    topics.measure();
  };
  window.addEventListener('resize', onResize);

  showPage(options.initialView ?? 'overview');
  renderChrome();

  const ready = bridge
    .loadHistory(options.historyLimit ?? 100_000)
    .then((history) => {
      if (history.length === 0) return;
      const older = store.addHistory(history);
      warmer.add(older);
      view.rebuild();
      // The side list of the event view is folded now when that view is open, else
      // once the window is idle: the overview opens first (its cards need the model).
      if (currentPage === 'events') foldTopics();
      else {
        topicsFolded = false;
        whenIdle(() => {
          if (!topicsFolded) foldTopics();
        });
      }
      model.clear();
      model.add(store.items);
      list.refresh();
      if (older.length > 0) list.measure();
      overview.reset();
      renderChrome();
    })
    .catch((error: unknown) => {
      root.prepend(el('p', { class: 'load-error', attrs: { role: 'alert' }, text: `The history could not be loaded: ${(error as Error).message}` }));
    });

  return {
    store,
    view,
    ready,
    searchPending: () => warmer.pending,
    stop() {
      for (const off of offs) off();
      overview.setVisible(false);
      clearInterval(tick);
      clearInterval(relativeTick);
      warmer.stop();
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', onResize);
    },
  };
}
