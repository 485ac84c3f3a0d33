// Light or dark: the OS preference (prefers-color-scheme) unless the reader picked one
// in the header's Theme menu, kept in this browser (localStorage). The stylesheet's
// colours are `light-dark()` pairs, so setting `color-scheme` on the root element is
// all a choice takes. Charts draw on canvas, which CSS does not reach: they read the
// resolved colours (palette()) and redraw when the theme changes (onThemeChange).

import { el, uniqueId } from './element.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'herald.theme';
const listeners = new Set<() => void>();
let cached: Palette | null = null;

function storedChoice(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function changed(): void {
  cached = null;
  for (const listener of listeners) listener();
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage may be off (private mode): the choice holds for this page.
  }
  changed();
}

/** Apply the stored choice and follow the OS; call once at start. */
export function initTheme(): void {
  applyTheme(storedChoice());
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', changed);
}

export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The header's Theme menu. */
export function themeSelect(): HTMLElement {
  const id = uniqueId('theme');
  const select = el('select', { attrs: { id }, on: { change: () => applyTheme(select.value as ThemeChoice) } }, [
    el('option', { text: 'System', attrs: { value: 'system' } }),
    el('option', { text: 'Light', attrs: { value: 'light' } }),
    el('option', { text: 'Dark', attrs: { value: 'dark' } }),
  ]);
  select.value = storedChoice();
  return el('span', { class: 'field theme-field' }, [el('label', { text: 'Theme', attrs: { for: id } }), select]);
}

export interface Palette {
  fg: string;
  fgSoft: string;
  border: string;
  accent: string;
  ok: string;
  warn: string;
  critical: string;
  info: string;
  warnBg: string;
  criticalBg: string;
  bg: string;
}

const VARIABLES: Record<keyof Palette, string> = {
  fg: '--fg',
  fgSoft: '--fg-soft',
  border: '--border',
  accent: '--accent',
  ok: '--ok',
  warn: '--warn',
  critical: '--critical',
  info: '--info',
  warnBg: '--warn-bg',
  criticalBg: '--critical-bg',
  bg: '--bg',
};

/** The theme's colours as canvas takes them (custom properties holding light-dark() are not resolved by getPropertyValue). */
export function palette(): Palette {
  if (cached) return cached;
  const probe = el('span', { attrs: { 'aria-hidden': 'true' } });
  probe.style.display = 'none';
  document.body.append(probe);
  const resolved = {} as Palette;
  for (const [name, variable] of Object.entries(VARIABLES) as Array<[keyof Palette, string]>) {
    probe.style.color = `var(${variable})`;
    resolved[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  cached = resolved;
  return resolved;
}
