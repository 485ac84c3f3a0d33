// How one event reads in the list: its level (shown as colour AND a word and icon,
// never colour alone: WCAG 2.2 SC 1.4.1 "Use of Color"), a one-line summary, and the
// lower-cased text the search box looks in.

import type { HeraldEvent, Level } from '../../server/protocol/events.ts';
import { partsText, type TextPart, user } from './text-parts.ts';

/** Protocol levels plus `info` for events that carry no judgement (a message, a status). */
export type DisplayLevel = 'info' | Level;
export const DISPLAY_LEVELS: readonly DisplayLevel[] = ['info', 'ok', 'warn', 'critical'];

export const LEVEL_WORD: Record<DisplayLevel, string> = {
  info: 'Info',
  ok: 'OK',
  warn: 'Warning',
  critical: 'Critical',
};

/** Icons differ in shape, not only in colour, so they read in greyscale and forced colours. */
export const LEVEL_ICON: Record<DisplayLevel, string> = {
  info: 'ℹ',
  ok: '✓',
  warn: '▲',
  critical: '✖',
};

const PROTOCOL_LEVELS = new Set<unknown>(['ok', 'warn', 'critical']);

export function levelOf(event: HeraldEvent): DisplayLevel {
  switch (event.type) {
    case 'alert':
      return event.data.level;
    case 'end':
      if (event.data.state === 'succeeded') return 'ok';
      if (event.data.state === 'cancelled') return 'warn';
      return 'critical';
    case 'gap':
      return 'warn';
    case 'notify':
      // Priority 5 is "max/urgent", 4 "high" (the ntfy scale the protocol borrows).
      if (event.data.priority >= 5) return 'critical';
      if (event.data.priority === 4) return 'warn';
      return 'info';
    case 'update': {
      const level = event.data.status['level'];
      return PROTOCOL_LEVELS.has(level) ? (level as Level) : 'info';
    }
  }
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  return JSON.stringify(value);
}

/** `state=running, progress=0.42`: the changed fields of an update, or all of them; each key and value a part. */
export function statusParts(status: Record<string, unknown>, changed?: readonly string[]): TextPart[] {
  const keys = changed && changed.length > 0 ? changed : Object.keys(status);
  const parts: TextPart[] = [];
  for (const key of keys) {
    if (parts.length > 0) parts.push(', ');
    parts.push(user(key), '=', user(formatValue(status[key])));
  }
  return parts;
}

export function statusText(status: Record<string, unknown>, changed?: readonly string[]): string {
  return partsText(statusParts(status, changed));
}

type EndResult = { state: string; exitCode: number | null; durationMs: number; summary: string };

/** `failed, exit code 3, 12 s: tests failed` */
export function endResultParts(data: EndResult): TextPart[] {
  const exit = data.exitCode === null ? 'no exit code' : `exit code ${data.exitCode}`;
  const result = `${data.state}, ${exit}, ${formatDuration(data.durationMs)}`;
  return data.summary ? [result, ': ', user(data.summary)] : [result];
}

export function endResultText(data: EndResult): string {
  return partsText(endResultParts(data));
}

export function summaryParts(event: HeraldEvent): TextPart[] {
  switch (event.type) {
    case 'notify':
      return event.data.title ? [user(event.data.title), ': ', user(event.data.body)] : [user(event.data.body)];
    case 'update':
      return statusParts(event.data.status, event.data.changed);
    case 'alert':
      return event.data.previous ? [user(event.data.message), ' (was ', user(event.data.previous), ')'] : [user(event.data.message)];
    case 'end':
      return endResultParts(event.data);
    case 'gap':
      return [user(event.data.message)];
  }
}

export function summaryOf(event: HeraldEvent): string {
  return partsText(summaryParts(event));
}

/** Title, body, message, summary and status text, lower-cased once so filtering is a substring test. */
export function searchTextOf(event: HeraldEvent): string {
  const parts: string[] = [event.data.topic, summaryOf(event)];
  if (event.type === 'update') parts.push(statusText(event.data.status));
  if (event.type === 'notify') parts.push(event.data.tags.join(' '));
  return parts.join('\n').toLowerCase();
}
