// A probe's uptime strip, like a heartbeat bar: the range cut into equal cells, each
// coloured by the worst state that held in it, with a shape as well (hatched when
// down, dotted when warning, hollow when unknown), never colour alone. A listbox: the
// arrow keys (or the mouse) pick a cell and the line under it says its time and
// value; a screen reader hears the same.

import type { StripCell } from '../../model/overview/uptime.ts';
import { el, setAttr, setText, uniqueId } from '../element.ts';
import { LEVEL_WORD } from '../level-look.ts';
import { clockTime } from '../time-words.ts';

export function cellWords(cell: StripCell, now: number): string {
  const span = `${clockTime(cell.from, now)} to ${clockTime(cell.to, now)}`;
  if (!cell.check || cell.level === null) return `${span}: no check known`;
  const state = cell.check.up ? `up, ${LEVEL_WORD[cell.level]}` : 'down';
  const latency = cell.check.latencyMs === null ? '' : `, ${Math.round(cell.check.latencyMs)} ms`;
  return `${span}: ${state}, ${cell.check.text}${latency}`;
}

export class UptimeStrip {
  readonly element: HTMLElement;
  readonly #strip: HTMLElement;
  readonly #detail: HTMLElement;
  readonly #id = uniqueId('strip');
  #cells: StripCell[] = [];
  #nodes: HTMLElement[] = [];
  #active = -1;
  #now = 0;

  constructor(label: string) {
    this.#detail = el('p', { class: 'strip-detail', attrs: { id: `${this.#id}-detail` } });
    this.#strip = el('div', {
      class: 'uptime-strip',
      attrs: { role: 'listbox', tabindex: 0, 'aria-label': label, 'aria-describedby': this.#detail.id },
      on: {
        keydown: (e) => this.#onKey(e),
        mouseover: (e) => this.#pick(this.#nodes.indexOf(e.target as HTMLElement)),
        focus: () => this.#pick(this.#active < 0 ? this.#cells.length - 1 : this.#active),
      },
    });
    this.element = el('div', { class: 'strip-wrap' }, [this.#strip, this.#detail]);
  }

  setLabel(label: string): void {
    setAttr(this.#strip, 'aria-label', label);
  }

  render(cells: StripCell[], now: number): void {
    this.#cells = cells;
    this.#now = now;
    while (this.#nodes.length < cells.length) {
      const node = el('span', { attrs: { role: 'option', id: `${this.#id}-${this.#nodes.length}`, 'aria-selected': 'false' } });
      this.#nodes.push(node);
      this.#strip.append(node);
    }
    while (this.#nodes.length > cells.length) this.#nodes.pop()?.remove();
    cells.forEach((cell, i) => {
      const node = this.#nodes[i]!;
      const kind = cell.level === null ? 'none' : cell.check && !cell.check.up ? 'down' : cell.level;
      const className = `strip-cell cell-${kind}`;
      if (node.className !== className) node.className = className;
      const words = cellWords(cell, now);
      if (node.title !== words) {
        node.title = words;
        node.setAttribute('aria-label', words);
      }
    });
    if (this.#active >= cells.length) this.#active = -1;
    if (this.#active >= 0) this.#pick(this.#active);
  }

  #pick(index: number): void {
    if (index < 0 || index >= this.#cells.length) return;
    this.#nodes[this.#active]?.setAttribute('aria-selected', 'false');
    this.#active = index;
    const node = this.#nodes[index]!;
    node.setAttribute('aria-selected', 'true');
    setAttr(this.#strip, 'aria-activedescendant', node.id);
    setText(this.#detail, cellWords(this.#cells[index]!, this.#now));
  }

  #onKey(event: KeyboardEvent): void {
    const last = this.#cells.length - 1;
    const moves: Record<string, number> = { ArrowLeft: this.#active - 1, ArrowRight: this.#active + 1, Home: 0, End: last };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.#pick(Math.max(0, Math.min(last, next)));
  }
}
