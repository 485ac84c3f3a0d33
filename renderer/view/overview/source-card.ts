// One card of the overview: the source's level (colour, icon and word), its name and
// kind, one line saying how it is, and the body for its kind (system charts, a
// probe's strip, a job's runs, a topic's messages).

import type { SourceKind } from '../../../server/protocol/source-status.ts';
import { formatDuration, summaryParts } from '../../../server/protocol/event-vocabulary.ts';
import type { TextPart } from '../../../server/protocol/text-parts.ts';
import { runningRun, type JobDetail } from '../../model/overview/job-detail.ts';
import type { SourceEntry } from '../../model/overview/overview-model.ts';
import type { ProbeDetail } from '../../model/overview/probe-detail.ts';
import type { SystemDetail } from '../../model/overview/system-detail.ts';
import type { TopicDetail } from '../../model/overview/topic-detail.ts';
import { el, uniqueId } from '../element.ts';
import { LEVEL_ICON, LEVEL_WORD } from '../level-look.ts';
import { clockTime } from '../time-words.ts';
import { setParts, userText } from '../user-text.ts';
import type { CardBody, CardContext } from './card-context.ts';
import { elapsedOf, JobBody } from './job-body.ts';
import { ProbeBody } from './probe-body.ts';
import { SystemBody, systemLine } from './system-body.ts';
import type { TimeChart } from './time-chart.ts';
import { TopicBody } from './topic-body.ts';

const KIND_WORD: Record<SourceKind, string> = { system: 'System', probe: 'Probe', job: 'Job', topic: 'Topic' };

function bodyFor(kind: SourceKind): CardBody<SourceEntry> {
  switch (kind) {
    case 'system':
      return new SystemBody();
    case 'probe':
      return new ProbeBody();
    case 'job':
      return new JobBody();
    case 'topic':
      return new TopicBody();
  }
}

/** How the source is, in one line: Herald's words, the publisher's text isolated. */
function lineOf(entry: SourceEntry, now: number): TextPart[] {
  const { state, detail } = entry;
  const bad = state.level === 'warn' || state.level === 'critical';
  const since = bad ? ` since ${clockTime(state.since, now)}` : '';
  switch (detail.kind) {
    case 'system':
      return bad && state.reason ? [{ user: state.reason }, since] : [systemLine(detail as SystemDetail)];
    case 'probe': {
      const last = (detail as ProbeDetail).checks.lastValue;
      if (!last) return ['No check yet'];
      if (!last.up) return ['Down', since, ': ', { user: last.text }];
      const latency = last.latencyMs === null ? '' : `, ${Math.round(last.latencyMs)} ms`;
      return bad && state.reason ? ['Up', since, ': ', { user: state.reason }] : ['Up: ', { user: last.text }, latency];
    }
    case 'job': {
      const running = runningRun(detail as JobDetail);
      const last = state.reason ? ['Last ', { user: state.reason }] : ['No run finished yet'];
      if (!running) return last;
      const progress = running.progress === null ? '' : `, ${Math.round(running.progress * 100)} %`;
      return [`Run ${running.run} running${progress}, ${formatDuration(elapsedOf(running, now))}`, ...(state.reason ? ['; last ', { user: state.reason }] : [])];
    }
    case 'topic': {
      const latest = (detail as TopicDetail).latest;
      return bad && state.reason ? [{ user: state.reason }] : latest ? summaryParts(latest.event) : ['No message yet'];
    }
  }
}

export class SourceCard {
  readonly element: HTMLElement;
  readonly key: string;
  readonly #badge: HTMLElement;
  readonly #line: HTMLElement;
  readonly #body: CardBody<SourceEntry>;
  #level = '';

  constructor(entry: SourceEntry, serverLabel: string | null) {
    this.key = entry.key;
    const headingId = uniqueId('card');
    this.#badge = el('span', { class: 'level-badge' });
    this.#line = el('p', { class: 'card-line' });
    this.#body = bodyFor(entry.source.kind);
    const title = el('h3', { class: 'card-title', attrs: { id: headingId } }, [userText(entry.source.id)]);
    const kind = el('span', { class: 'card-kind', text: serverLabel ? `${KIND_WORD[entry.source.kind]} · ` : KIND_WORD[entry.source.kind] });
    if (serverLabel) kind.append(userText(serverLabel));
    this.element = el('article', { class: `source-card kind-${entry.source.kind}`, attrs: { 'aria-labelledby': headingId, 'data-source': entry.source.id, 'data-server': entry.server } }, [
      el('header', { class: 'card-head' }, [this.#badge, title, kind]),
      this.#line,
      this.#body.element,
    ]);
  }

  get charts(): readonly TimeChart[] {
    return this.#body.charts;
  }

  /** The level (badge, colour): cheap, and known for every card. */
  renderHead(entry: SourceEntry): void {
    const level = entry.state.level;
    if (level !== this.#level) {
      this.#level = level;
      this.element.dataset['level'] = level;
      this.element.classList.remove('level-ok', 'level-warn', 'level-critical', 'level-info');
      this.element.classList.add(`level-${level}`);
      this.#badge.className = `level-badge level-${level}`;
      this.#badge.replaceChildren(el('span', { class: 'level-icon', text: LEVEL_ICON[level], attrs: { 'aria-hidden': 'true' } }), LEVEL_WORD[level]);
    }
  }

  /** Everything: the level, the line and the body. */
  render(entry: SourceEntry, context: CardContext): void {
    this.renderHead(entry);
    setParts(this.#line, lineOf(entry, context.now));
    this.#body.render(entry, context);
  }

  destroy(): void {
    for (const chart of this.#body.charts) chart.destroy();
  }
}
