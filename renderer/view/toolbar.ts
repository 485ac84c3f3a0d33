// The header's actions: pause or resume notifications, export the current view, clear
// the history. What the host cannot do is disabled and says why (the web dashboard
// raises no notifications, so it has none to pause).

import type { BridgeCapabilities, NotificationState } from '../../main/app/ipc/bridge.ts';
import { el, setAttr } from './element.ts';

export interface ToolbarActions {
  pause(until: number): Promise<void>;
  resume(): Promise<void>;
  exportView(format: 'json' | 'csv'): void;
  /** How many events a clear would remove (for the confirmation). */
  count(): number;
  clear(): Promise<void>;
  now(): number;
}

const HOUR = 60 * 60_000;

function tomorrowMorning(now: number): number {
  const date = new Date(now);
  date.setDate(date.getDate() + 1);
  date.setHours(8, 0, 0, 0);
  return date.getTime();
}

function menu(label: string, items: HTMLElement[], disabled = false, describedBy: string | null = null, reason: string | null = null): HTMLDetailsElement {
  const summary = el('summary', { text: label, attrs: { 'aria-describedby': describedBy, title: reason } });
  const details = el('details', { class: 'menu' }, [summary, el('div', { class: 'menu-items' }, items)]);
  if (disabled) {
    details.classList.add('disabled');
    setAttr(summary, 'aria-disabled', 'true');
    summary.addEventListener('click', (e) => e.preventDefault());
  }
  return details;
}

export class Toolbar {
  readonly element: HTMLElement;
  readonly #pauseArea: HTMLElement;
  readonly #status: HTMLElement;
  readonly #clearArea: HTMLElement;
  readonly #capabilities: BridgeCapabilities;
  readonly #actions: ToolbarActions;

  constructor(capabilities: BridgeCapabilities, actions: ToolbarActions) {
    this.#capabilities = capabilities;
    this.#actions = actions;
    this.#pauseArea = el('span', { class: 'pause-area' });
    this.#status = el('span', { class: 'toolbar-status', attrs: { role: 'status' } });
    this.#clearArea = el('span', { class: 'clear-area' });
    const close = (details: HTMLDetailsElement) => details.removeAttribute('open');
    const exportMenu: HTMLDetailsElement = menu('Export', [
      el('button', { text: 'Export as JSON', attrs: { type: 'button' }, on: { click: () => (actions.exportView('json'), close(exportMenu)) } }),
      el('button', { text: 'Export as CSV', attrs: { type: 'button' }, on: { click: () => (actions.exportView('csv'), close(exportMenu)) } }),
    ]);
    this.element = el('div', { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'Actions' } }, [
      this.#pauseArea,
      exportMenu,
      this.#clearArea,
      this.#status,
    ]);
    this.#renderClear(false);
    this.renderNotifications({ pausedUntil: null, mutedTopics: [] });
    // A menu closes on a click elsewhere or on Escape, as menus do.
    const closeMenus = (except: EventTarget | null): void => {
      for (const open of this.element.querySelectorAll<HTMLDetailsElement>('details.menu[open]')) {
        if (!(except instanceof Node && open.contains(except))) open.removeAttribute('open');
      }
    };
    document.addEventListener('click', (e) => closeMenus(e.target));
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closeMenus(null);
    });
  }

  renderNotifications(state: NotificationState): void {
    if (!this.#capabilities.notifications) {
      const reason = 'Notifications come from the desktop app; this dashboard raises none.';
      const note = el('span', { class: 'note', text: reason, attrs: { id: 'pause-note' } });
      this.#pauseArea.replaceChildren(menu('Pause notifications', [], true, 'pause-note', reason), note);
      return;
    }
    if (state.pausedUntil !== null) {
      const until =
        state.pausedUntil === Infinity ? 'until resumed' : `until ${new Date(state.pausedUntil).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`;
      this.#pauseArea.replaceChildren(
        el('span', { class: 'paused', text: `Notifications paused ${until}` }),
        el('button', { text: 'Resume notifications', attrs: { type: 'button' }, on: { click: () => void this.#run(() => this.#actions.resume()) } }),
      );
      return;
    }
    const pause = (until: () => number) => () => {
      pauseMenu.removeAttribute('open');
      void this.#run(() => this.#actions.pause(until()));
    };
    const now = () => this.#actions.now();
    const pauseMenu: HTMLDetailsElement = menu('Pause notifications', [
      el('button', { text: 'For 1 hour', attrs: { type: 'button' }, on: { click: pause(() => now() + HOUR) } }),
      el('button', { text: 'Until tomorrow morning', attrs: { type: 'button' }, on: { click: pause(() => tomorrowMorning(now())) } }),
      el('button', { text: 'Until I resume', attrs: { type: 'button' }, on: { click: pause(() => Infinity) } }),
    ]);
    this.#pauseArea.replaceChildren(pauseMenu);
  }

  #renderClear(confirming: boolean): void {
    if (!confirming) {
      this.#clearArea.replaceChildren(
        el('button', { text: 'Clear history', attrs: { type: 'button' }, on: { click: () => this.#renderClear(true) } }),
      );
      return;
    }
    const what =
      this.#capabilities.clearHistory === 'delete'
        ? `Delete all ${this.#actions.count()} stored events?`
        : `Hide all ${this.#actions.count()} events in this browser? The server keeps its log.`;
    const keep = el('button', { text: 'Keep', attrs: { type: 'button' }, on: { click: () => this.#renderClear(false) } });
    this.#clearArea.replaceChildren(
      el('span', { class: 'confirm', attrs: { role: 'alert' } }, [what]),
      el('button', {
        text: 'Clear',
        class: 'danger',
        attrs: { type: 'button' },
        on: {
          click: () => {
            this.#renderClear(false);
            void this.#run(() => this.#actions.clear());
          },
        },
      }),
      keep,
    );
    keep.focus();
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.#status.textContent = '';
    try {
      await work();
    } catch (error) {
      this.#status.textContent = (error as Error).message;
    }
  }
}
