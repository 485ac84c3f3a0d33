// A generic webhook's config (the `hooks` block), checked and compiled once: every
// field parsed as a template (server/protocol/json-template.ts), the topic's fixed
// text checked as topic text, mapped values checked against what they map to. The
// config rules report these problems at start-up; the route uses the compiled form.

import { isLevel, LEVELS } from '../../protocol/events.ts';
import { parseTemplate, templateProblem, type JsonTemplate } from '../../protocol/json-template.ts';
import { topicProblem } from '../../protocol/topics.ts';
import { parsePriority } from '../../http/publish-request.ts';
import type { HookConfig, MappedTemplate } from '../../config/config-types.ts';

/** Names taken by the built-in webhooks (their own routes answer them). */
export const RESERVED_HOOK_NAMES: readonly string[] = ['alertmanager', 'github'];

export const DEFAULT_SIGNATURE_HEADER = 'X-Hub-Signature-256';

export interface Mapped {
  template: JsonTemplate;
  map: ReadonlyMap<string, string | number> | null;
  fallback: string | number | undefined;
}

export type HookAuth =
  | { kind: 'token' }
  | { kind: 'signature'; secret: string; header: string }
  | { kind: 'shared-secret'; secret: string; header: string };

export interface CompiledHook {
  name: string;
  topic: JsonTemplate;
  title: JsonTemplate | null;
  body: JsonTemplate | null;
  click: JsonTemplate | null;
  tags: JsonTemplate | null;
  priority: Mapped | null;
  level: Mapped | null;
  auth: HookAuth;
}

const TEXT_FIELDS = ['topic', 'title', 'body', 'click', 'tags'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function levelProblem(value: unknown): string | null {
  return isLevel(value) ? null : `expected one of ${LEVELS.join(', ')}, got ${JSON.stringify(value)}`;
}

function priorityProblem(value: unknown): string | null {
  try {
    parsePriority(value);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function mappedProblems(path: string, value: unknown, check: (v: unknown) => string | null): string[] {
  const out: string[] = [];
  const source = typeof value === 'string' ? value : isObject(value) ? value.from : undefined;
  if (typeof source === 'string') {
    const problem = templateProblem(source);
    if (problem) out.push(`${path}${typeof value === 'string' ? '' : '.from'}: ${problem}`);
    // A fixed value (no placeholder, no map) must itself be one the field takes.
    else if (typeof value === 'string' && !value.includes('{{') && value !== '') {
      const fixed = check(value);
      if (fixed) out.push(`${path}: ${fixed}`);
    }
  }
  if (isObject(value)) {
    if (isObject(value.map)) {
      for (const [key, mapped] of Object.entries(value.map)) {
        const problem = check(mapped);
        if (problem) out.push(`${path}.map[${JSON.stringify(key)}]: ${problem}`);
      }
    }
    if (value.default !== undefined) {
      const problem = check(value.default);
      if (problem) out.push(`${path}.default: ${problem}`);
    }
  }
  return out;
}

/** Problems with one hook beyond what the schema checks, each as `path: ...`. */
export function hookProblems(path: string, name: string, hook: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (RESERVED_HOOK_NAMES.includes(name)) {
    out.push(`${path}: the name "${name}" is taken by the built-in /hooks/${name}; configure it in "integrations.${name}", or pick another name`);
  }
  for (const field of TEXT_FIELDS) {
    if (typeof hook[field] !== 'string') continue;
    const problem = templateProblem(hook[field]);
    if (problem) out.push(`${path}.${field}: ${problem}`);
  }
  if (typeof hook.topic === 'string' && templateProblem(hook.topic) === null) {
    const problem = topicTemplateProblem(hook.topic);
    if (problem) out.push(`${path}.topic: ${problem}`);
  }
  out.push(...mappedProblems(`${path}.priority`, hook.priority, priorityProblem));
  out.push(...mappedProblems(`${path}.level`, hook.level, levelProblem));
  const hasSecret = typeof hook.secret === 'string';
  if ('signatureHeader' in hook && 'secretHeader' in hook) {
    out.push(`${path}: expected one of "signatureHeader" (the sender signs the body) or "secretHeader" (it sends the secret itself), got both`);
  }
  for (const key of ['signatureHeader', 'secretHeader']) {
    if (key in hook && !hasSecret) out.push(`${path}.${key}: only applies with a "secret"`);
  }
  return out;
}

/**
 * Why a topic template cannot make a topic whatever the payload holds, or null. Each
 * placeholder stands for a topic-safe segment part, so its fixed text is checked with
 * one in each place.
 */
export function topicTemplateProblem(source: string): string | null {
  const template = parseTemplate(source);
  const sample = template.parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
  const problem = topicProblem(sample);
  return problem === null ? null : `expected a topic template, e.g. "uptime/{{ monitor.name }}"; with values in place it reads ${JSON.stringify(sample)}: ${problem}`;
}

function compileMapped(value: MappedTemplate | undefined): Mapped | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return { template: parseTemplate(value), map: null, fallback: undefined };
  return {
    template: parseTemplate(value.from),
    map: value.map === undefined ? null : new Map(Object.entries(value.map)),
    fallback: value.default,
  };
}

/** A hook of a config that passed validation, ready for requests. */
export function compileHook(name: string, hook: HookConfig): CompiledHook {
  const optional = (source: string | undefined) => (source === undefined ? null : parseTemplate(source));
  let auth: HookAuth = { kind: 'token' };
  if (hook.secret !== undefined) {
    auth = hook.secretHeader !== undefined
      ? { kind: 'shared-secret', secret: hook.secret, header: hook.secretHeader }
      : { kind: 'signature', secret: hook.secret, header: hook.signatureHeader ?? DEFAULT_SIGNATURE_HEADER };
  }
  return {
    name,
    topic: parseTemplate(hook.topic),
    title: optional(hook.title),
    body: optional(hook.body),
    click: optional(hook.click),
    tags: optional(hook.tags),
    priority: compileMapped(hook.priority),
    level: compileMapped(hook.level),
    auth,
  };
}
