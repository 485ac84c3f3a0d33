// The details of the selected event: its full JSON, its topic's actions (show only
// this topic, mute, and for a job run: cancel while it runs, run again once it has
// ended) and, for job runs, the run's output log.

import type { BridgeCapabilities } from '../../main/ipc/bridge.ts';
import { endResultParts } from '../../server/protocol/event-vocabulary.ts';
import { LEVEL_ICON, LEVEL_WORD } from './level-look.ts';
import type { StoredEvent } from '../model/event-store.ts';
import { type JobTopic, parseJobTopic } from '../model/job-topic.ts';
import type { EndData } from '../../server/protocol/events.ts';
import { el, setAttr } from './element.ts';
import { jsonNodes } from './json-view.ts';
import { setParts, userText } from './user-text.ts';

export interface DetailsContext {
  /** The topic's end, when its stream has ended. */
  end: EndData | null;
  muted: boolean;
}

export interface DetailsActions {
  filterTopic(stored: StoredEvent): void;
  setMuted(topic: string, muted: boolean): Promise<void>;
  cancel(stored: StoredEvent, job: JobTopic): Promise<void>;
  runAgain(stored: StoredEvent, job: JobTopic): Promise<void>;
  loadLog(stored: StoredEvent, job: JobTopic): Promise<string>;
}

function streamEnded(end: EndData): HTMLElement {
  const dd = el('dd');
  setParts(dd, ['ended: ', ...endResultParts(end)]);
  return dd;
}

const MUTE_IN_APP_ONLY = 'Muting silences notifications, which only the desktop app raises.';

export class DetailsPane {
  readonly element: HTMLElement;
  readonly #heading: HTMLHeadingElement;
  readonly #body: HTMLDivElement;
  readonly #capabilities: BridgeCapabilities;
  readonly #actions: DetailsActions;
  #shownKey: string | null = null;
  #logRequest = 0;

  constructor(capabilities: BridgeCapabilities, actions: DetailsActions) {
    this.#capabilities = capabilities;
    this.#actions = actions;
    this.#heading = el('h2', { text: 'Details', attrs: { id: 'details-heading', tabindex: -1 } });
    this.#body = el('div', { class: 'details-body' }, [el('p', { class: 'muted', text: 'Select an event to see everything it carries.' })]);
    this.element = el('section', { class: 'details', attrs: { 'aria-labelledby': 'details-heading' } }, [this.#heading, this.#body]);
  }

  /** The key of the event shown, or null. */
  get shownKey(): string | null {
    return this.#shownKey;
  }

  focus(): void {
    this.#heading.focus();
  }

  show(stored: StoredEvent | null, context: DetailsContext): void {
    if (!stored) {
      this.#shownKey = null;
      this.#heading.textContent = 'Details';
      this.#body.replaceChildren(el('p', { class: 'muted', text: 'Select an event to see everything it carries.' }));
      return;
    }
    this.#shownKey = stored.key;
    const { event } = stored;
    const job = parseJobTopic(event.data.topic);
    this.#heading.textContent = `${event.type} on ${event.data.topic}`;
    const status = el('p', { class: 'action-status', attrs: { role: 'status' } });
    const run = (label: string, work: () => Promise<unknown>) => async (click: MouseEvent) => {
      const button = click.currentTarget as HTMLButtonElement;
      button.disabled = true;
      status.textContent = `${label}…`;
      try {
        await work();
        status.textContent = `${label}: done.`;
      } catch (error) {
        status.textContent = (error as Error).message;
      } finally {
        button.disabled = false;
      }
    };

    const actions: HTMLElement[] = [
      el('button', { text: 'Show only this topic', attrs: { type: 'button' }, on: { click: () => this.#actions.filterTopic(stored) } }),
    ];
    const muteNote = this.#capabilities.notifications ? null : el('span', { class: 'note', text: MUTE_IN_APP_ONLY, attrs: { id: 'mute-note' } });
    actions.push(
      el('button', {
        text: context.muted ? 'Unmute topic' : 'Mute topic',
        attrs: { type: 'button', disabled: !this.#capabilities.notifications, 'aria-describedby': muteNote ? 'mute-note' : null },
        on: { click: run(context.muted ? 'Unmuting' : 'Muting', () => this.#actions.setMuted(event.data.topic, !context.muted)) },
      }),
    );
    if (job) {
      if (context.end) {
        actions.push(
          el('button', { text: 'Run again', attrs: { type: 'button' }, on: { click: run(`Starting ${job.job}`, () => this.#actions.runAgain(stored, job)) } }),
        );
      } else {
        actions.push(
          el('button', { text: 'Cancel run', attrs: { type: 'button' }, on: { click: run(`Cancelling ${job.job} run ${job.run}`, () => this.#actions.cancel(stored, job)) } }),
        );
      }
    }

    const facts = el('dl', { class: 'facts' }, [
      el('dt', { text: 'Level' }),
      el('dd', { class: `level-badge level-${stored.level}`, text: `${LEVEL_ICON[stored.level]} ${LEVEL_WORD[stored.level]}` }),
      el('dt', { text: 'Time' }),
      el('dd', { text: new Date(event.data.time).toLocaleString() }),
      el('dt', { text: 'Id' }),
      el('dd', {}, [userText(event.id)]),
      el('dt', { text: 'Server' }),
      el('dd', {}, [userText(stored.server)]),
      context.end ? el('dt', { text: 'Stream' }) : null,
      context.end ? streamEnded(context.end) : null,
    ]);
    const json = el('pre', { class: 'json', attrs: { tabindex: 0, 'aria-label': 'Event JSON' } }, jsonNodes({ id: event.id, type: event.type, data: event.data }));
    const children: Array<HTMLElement | null> = [
      facts,
      el('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Topic actions' } }, actions),
      muteNote,
      status,
      el('h3', { text: 'JSON' }),
      json,
    ];
    if (job) children.push(...this.#logSection(stored, job));
    this.#body.replaceChildren(...children.filter((c): c is HTMLElement => c !== null));
  }

  #logSection(stored: StoredEvent, job: JobTopic): HTMLElement[] {
    const output = el('pre', { class: 'job-log', text: 'Loading the output…', attrs: { tabindex: 0, 'aria-label': 'Job output', 'aria-busy': 'true' } });
    const load = async (): Promise<void> => {
      const request = ++this.#logRequest;
      setAttr(output, 'aria-busy', 'true');
      try {
        const text = await this.#actions.loadLog(stored, job);
        if (request === this.#logRequest) output.textContent = text === '' ? '(no output)' : text;
      } catch (error) {
        if (request === this.#logRequest) output.textContent = (error as Error).message;
      } finally {
        if (request === this.#logRequest) setAttr(output, 'aria-busy', null);
      }
    };
    void load();
    return [
      el('h3', { text: `Output of ${job.job} run ${job.run}` }),
      el('button', { text: 'Reload output', attrs: { type: 'button' }, on: { click: () => void load() } }),
      output,
    ];
  }
}
