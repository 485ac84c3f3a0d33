// Settings: servers (kind, URL, token or user, topics), notification rules, quiet hours, muted
// topics, start at login and the bundled server. Every change is checked with the
// desktop app's validator (main/app/settings/settings-validator.ts, Node-free) and
// problems are explained inline; Save sends the whole document through the bridge,
// which validates again. Sections the host cannot honour are disabled with the reason.

import type { Bridge, SettingsDocument } from '../../main/app/ipc/bridge.ts';
import { validateSettings } from '../../main/app/settings/settings-validator.ts';
import { formatTopicList, parseTopicList } from '../model/topic-list-text.ts';
import { el } from './element.ts';
import { checkbox, FieldRegistry, textInput } from './form-fields.ts';
import type { ServerKind } from '../../main/app/settings/settings-schema.ts';

const SERVER_KIND_CHOICES: ReadonlyArray<readonly [ServerKind, string]> = [
  ['herald', 'Herald server'],
  ['ntfy', 'ntfy server'],
  ['sse', 'Plain SSE URL'],
];

const WEB_SERVERS_NOTE = 'This dashboard shows the server that serves it. Other servers are added in the desktop app.';
const WEB_NOTIFY_NOTE = 'Rules, quiet hours and muted topics decide native notifications, which only the desktop app raises.';
const WEB_APP_NOTE = 'Start at login and the bundled server are settings of the desktop app.';

export class SettingsView {
  readonly element: HTMLElement;
  readonly #bridge: Bridge;
  readonly #fields = new FieldRegistry();
  readonly #form: HTMLFormElement;
  readonly #summary: HTMLElement;
  readonly #status: HTMLElement;
  #draft: SettingsDocument | null = null;
  #serial = 0;

  constructor(bridge: Bridge) {
    this.#bridge = bridge;
    this.#form = el('form', { class: 'settings-form', attrs: { novalidate: true, 'aria-labelledby': 'settings-heading' }, on: { submit: (e) => this.#save(e) } });
    this.#summary = el('div', { class: 'settings-summary', attrs: { role: 'alert' } });
    this.#status = el('p', { class: 'settings-status', attrs: { role: 'status' } });
    this.element = el('section', { class: 'settings' }, [
      el('h2', { text: 'Settings', attrs: { id: 'settings-heading', tabindex: -1 } }),
      this.#summary,
      this.#form,
      this.#status,
    ]);
  }

  focus(): void {
    this.element.querySelector<HTMLElement>('#settings-heading')?.focus();
  }

  async load(): Promise<void> {
    try {
      this.#draft = structuredClone(await this.#bridge.loadSettings());
      this.#render();
    } catch (error) {
      this.#status.textContent = `Could not load the settings: ${(error as Error).message}`;
    }
  }

  #render(): void {
    const draft = this.#draft;
    if (!draft) return;
    const caps = this.#bridge.capabilities;
    this.#fields.clear();
    const changed = (): void => void this.#validate();

    const servers = draft.servers.map((server, i) => {
      const path = `servers[${i}]`;
      const topics = textInput(formatTopicList(server.topics), { placeholder: 'system, job/**' });
      topics.addEventListener('input', () => {
        server.topics = parseTopicList(topics.value);
        changed();
      });
      const parts: HTMLElement[] = [];
      if (caps.editServers) {
        const name = textInput(server.name);
        name.addEventListener('input', () => ((server.name = name.value), changed()));
        const url = textInput(server.url, { inputmode: 'url', placeholder: 'http://127.0.0.1:8080' });
        url.addEventListener('input', () => ((server.url = url.value.trim()), changed()));
        const token = textInput(server.token, { type: 'password', autocomplete: 'off' });
        token.addEventListener('input', () => ((server.token = token.value), changed()));
        const kind = el(
          'select',
          {},
          SERVER_KIND_CHOICES.map(([value, label]) => el('option', { text: label, attrs: { value, selected: (server.kind ?? 'herald') === value } })),
        );
        kind.addEventListener('change', () => ((server.kind = kind.value as ServerKind), changed()));
        const user = textInput(server.username ?? '', { autocomplete: 'off' });
        user.addEventListener('input', () => {
          if (user.value === '') delete server.username;
          else server.username = user.value;
          changed();
        });
        const enabled = checkbox(server.enabled);
        enabled.addEventListener('change', () => ((server.enabled = enabled.checked), changed()));
        parts.push(
          this.#fields.field('Name', name, `${path}.name`),
          this.#fields.field('Kind', kind, `${path}.kind`, 'A plain SSE URL shows each event as text; its templates are set in the settings file.'),
          this.#fields.field('URL', url, `${path}.url`),
          this.#fields.field('Token', token, `${path}.token`, 'Leave empty when the server needs none. With a user, the password.'),
          this.#fields.field('User', user, `${path}.username`, 'ntfy servers and SSE URLs that ask for a user and password; leave empty for a token.'),
          this.#fields.field('Topics', topics, `${path}.topics`, 'Names or patterns, separated by commas: job/* is one level, job/** any depth. ntfy: topic names. SSE URL: the one topic its events go to.'),
          this.#fields.field('Connect to this server', enabled, `${path}.enabled`),
          el('button', {
            text: 'Remove server',
            attrs: { type: 'button' },
            on: { click: () => (draft.servers.splice(i, 1), this.#render()) },
          }),
        );
      } else {
        parts.push(
          el('p', { text: `${server.name} (${server.url})`, class: 'server-fixed' }),
          this.#fields.field('Topics', topics, `${path}.topics`, 'Names or patterns, separated by commas: job/* is one level, job/** any depth.'),
        );
      }
      return el('fieldset', { class: 'server' }, [el('legend', { text: server.name || `Server ${i + 1}` }), ...parts]);
    });

    const serversSection = el('section', { class: 'settings-section', attrs: { 'aria-labelledby': 'servers-heading' } }, [
      el('h3', { text: 'Servers', attrs: { id: 'servers-heading' } }),
      caps.editServers ? null : el('p', { class: 'note', text: WEB_SERVERS_NOTE }),
      ...servers,
      caps.editServers
        ? el('button', { text: 'Add server', attrs: { type: 'button' }, on: { click: () => this.#addServer() } })
        : el('form', { class: 'sign-out', attrs: { method: 'post', action: '/logout' } }, [
            el('button', { text: 'Sign out of this dashboard', attrs: { type: 'submit' } }),
          ]),
    ]);

    this.#form.replaceChildren(
      serversSection,
      this.#notificationsSection(draft, changed),
      this.#appSection(draft, changed),
      el('div', { class: 'settings-buttons' }, [
        el('button', { text: 'Save settings', class: 'primary', attrs: { type: 'submit' } }),
        el('button', { text: 'Undo changes', attrs: { type: 'button' }, on: { click: () => void this.load() } }),
      ]),
    );
    this.#validate();
  }

  #notificationsSection(draft: SettingsDocument, changed: () => void): HTMLElement {
    const enabled = this.#bridge.capabilities.notifications;
    const rules = draft.rules.map((rule, i) => {
      const path = `rules[${i}]`;
      const topic = textInput(rule.topic, { placeholder: 'probe/*' });
      topic.addEventListener('input', () => ((rule.topic = topic.value.trim()), changed()));
      const field = textInput(rule.field, { placeholder: 'state' });
      field.addEventListener('input', () => ((rule.field = field.value.trim()), changed()));
      const equals = textInput(rule.equals === null ? '' : String(rule.equals), { placeholder: 'any value' });
      equals.addEventListener('input', () => ((rule.equals = equals.value === '' ? null : equals.value), changed()));
      const priority = el('select', {}, [1, 2, 3, 4, 5].map((p) => el('option', { text: String(p), attrs: { value: p } })));
      priority.value = String(rule.priority);
      priority.addEventListener('change', () => ((rule.priority = Number(priority.value)), changed()));
      return el('fieldset', { class: 'rule' }, [
        el('legend', { text: `Rule ${i + 1}` }),
        this.#fields.field('Topic', topic, `${path}.topic`),
        this.#fields.field('Status field', field, `${path}.field`, 'Empty: any change of the status.'),
        this.#fields.field('Changed to', equals, `${path}.equals`, 'Empty: any new value.'),
        this.#fields.field('Priority', priority, `${path}.priority`),
        el('button', { text: 'Remove rule', attrs: { type: 'button' }, on: { click: () => (draft.rules.splice(i, 1), this.#render()) } }),
      ]);
    });
    const quietEnabled = checkbox(draft.quietHours.enabled);
    quietEnabled.addEventListener('change', () => ((draft.quietHours.enabled = quietEnabled.checked), changed()));
    const start = textInput(draft.quietHours.start, { inputmode: 'numeric', placeholder: '22:00' });
    start.addEventListener('input', () => ((draft.quietHours.start = start.value.trim()), changed()));
    const end = textInput(draft.quietHours.end, { inputmode: 'numeric', placeholder: '07:00' });
    end.addEventListener('input', () => ((draft.quietHours.end = end.value.trim()), changed()));
    const muted = textInput(formatTopicList(draft.mutedTopics), { placeholder: 'system, probe/btc' });
    muted.addEventListener('input', () => ((draft.mutedTopics = parseTopicList(muted.value)), changed()));

    return el('section', { class: 'settings-section', attrs: { 'aria-labelledby': 'notify-heading' } }, [
      el('h3', { text: 'Notifications', attrs: { id: 'notify-heading' } }),
      enabled ? null : el('p', { class: 'note', text: WEB_NOTIFY_NOTE }),
      el('fieldset', { class: 'group', attrs: { disabled: !enabled } }, [
        el('legend', { text: 'Rules for status updates' }),
        el('p', { class: 'field-hint', text: 'Messages, alerts and ends always notify; an update notifies when a rule matches it.' }),
        ...rules,
        el('button', {
          text: 'Add rule',
          attrs: { type: 'button' },
          on: { click: () => (draft.rules.push({ topic: '', field: '', equals: null, priority: 3 }), this.#render()) },
        }),
      ]),
      el('fieldset', { class: 'group', attrs: { disabled: !enabled } }, [
        el('legend', { text: 'Quiet hours' }),
        this.#fields.field('Silence notifications during quiet hours', quietEnabled, 'quietHours.enabled', 'Critical ones still show.'),
        this.#fields.field('From (HH:MM)', start, 'quietHours.start'),
        this.#fields.field('To (HH:MM)', end, 'quietHours.end'),
      ]),
      el('fieldset', { class: 'group', attrs: { disabled: !enabled } }, [
        el('legend', { text: 'Muted topics' }),
        this.#fields.field('Never notify for', muted, 'mutedTopics', 'Muted topics are still recorded in the history.'),
      ]),
    ]);
  }

  #appSection(draft: SettingsDocument, changed: () => void): HTMLElement {
    const caps = this.#bridge.capabilities;
    const login = checkbox(draft.startAtLogin, !caps.startAtLogin);
    login.addEventListener('change', () => ((draft.startAtLogin = login.checked), changed()));
    const bundled = checkbox(draft.bundledServer.enabled, !caps.bundledServer);
    bundled.addEventListener('change', () => ((draft.bundledServer.enabled = bundled.checked), changed()));
    const port = textInput(String(draft.bundledServer.port), { inputmode: 'numeric', disabled: !caps.bundledServer });
    port.addEventListener('input', () => {
      const value = port.value.trim();
      draft.bundledServer.port = value === '' || !/^\d+$/.test(value) ? (value as unknown as number) : Number(value);
      changed();
    });
    const appOnly = !caps.startAtLogin || !caps.bundledServer;
    return el('section', { class: 'settings-section', attrs: { 'aria-labelledby': 'app-heading' } }, [
      el('h3', { text: 'Desktop app', attrs: { id: 'app-heading' } }),
      appOnly ? el('p', { class: 'note', text: WEB_APP_NOTE }) : null,
      this.#fields.field('Start Herald when I log in', login, 'startAtLogin'),
      this.#fields.field('Run the bundled server', bundled, 'bundledServer.enabled', 'A Herald server inside the app, on this machine only.'),
      this.#fields.field('Bundled server port', port, 'bundledServer.port', '0 picks a free port at each start.'),
    ]);
  }

  #addServer(): void {
    const draft = this.#draft;
    if (!draft) return;
    const ids = new Set(draft.servers.map((s) => s.id));
    let id = `server-${draft.servers.length + 1}`;
    while (ids.has(id)) id = `server-${draft.servers.length + 1}-${++this.#serial}`;
    draft.servers.push({ id, name: '', url: '', token: '', topics: ['**'], enabled: true });
    this.#render();
  }

  /** Validate the draft and spread the problems over the fields. */
  #validate(): boolean {
    if (!this.#draft) return false;
    const result = validateSettings(this.#draft);
    const problems = result.ok ? [] : result.problems;
    const unplaced = this.#fields.show(problems);
    this.#summary.replaceChildren(
      ...(problems.length === 0
        ? []
        : [
            el('p', { text: problems.length === 1 ? '1 setting needs attention.' : `${problems.length} settings need attention.` }),
            ...(unplaced.length > 0 ? [el('ul', {}, unplaced.map((p) => el('li', { text: p.message })))] : []),
          ]),
    );
    return problems.length === 0;
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.#draft) return;
    this.#status.textContent = '';
    if (!this.#validate()) {
      this.#fields.focusFirstInvalid();
      this.#status.textContent = 'Not saved: fix the settings marked above.';
      return;
    }
    try {
      const result = await this.#bridge.saveSettings(structuredClone(this.#draft));
      if (result.ok) {
        this.#draft = structuredClone(result.settings);
        this.#render();
        this.#status.textContent = 'Settings saved.';
      } else {
        this.#fields.show(result.problems);
        this.#fields.focusFirstInvalid();
        this.#status.textContent = 'Not saved: fix the settings marked above.';
      }
    } catch (error) {
      this.#status.textContent = `Not saved: ${(error as Error).message}`;
    }
  }
}
