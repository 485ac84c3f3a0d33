// Checks a value against the JSON Schema subset Herald's config schema uses, and
// lists EVERY problem by its path (`jobs.backup.command: expected a string, got 42`).
// The validator interprets the shipped schema file instead of restating it, so the
// two cannot drift; `SUPPORTED_KEYWORDS` names the subset, and a test refuses a
// schema that uses anything else (JSON Schema 2020-12, "Validation" vocabulary).

import { describeValue } from '../protocol/errors.ts';

export interface SchemaNode {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  enum?: unknown[];
  /** A secret (a token, a URL with a password): messages never show its value. */
  writeOnly?: boolean;
}

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'type', 'properties',
  'additionalProperties', 'required', 'propertyNames', 'items', 'minItems', 'maxItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'pattern', 'enum', 'writeOnly',
]);

const TYPE_NOUN: Record<NonNullable<SchemaNode['type']>, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
};

/** What a `pattern` means, in words a user can act on. */
const PATTERN_WORDS: Record<string, string> = {
  '^[A-Za-z0-9_.-]+$': 'a name of letters, digits, "_", "." or "-"',
  '^https?://': 'an http:// or https:// URL',
  '^rediss?://': 'a redis:// or rediss:// URL',
  '^(/.*)?$': 'a JSON pointer such as "/price/usd" ("" for the whole body)',
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `jobs.backup`, `probes["my probe"]`, `system.thresholds.cpu[1]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}

/** The closest known key, for "did you mean" on a typo. */
function closest(key: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export class SchemaChecker {
  private readonly root: SchemaNode;

  constructor(root: SchemaNode) {
    this.root = root;
  }

  /** Every problem with `value`, each as `path: what was expected, what arrived`. */
  problems(value: unknown): string[] {
    const out: string[] = [];
    this.check(this.root, value, '', out);
    return out;
  }

  private resolve(node: SchemaNode): SchemaNode {
    if (node.$ref === undefined) return node;
    const prefix = '#/$defs/';
    const target = node.$ref.startsWith(prefix) ? this.root.$defs?.[node.$ref.slice(prefix.length)] : undefined;
    if (!target) throw new Error(`schema $ref ${node.$ref} does not name an entry of $defs`);
    return target;
  }

  /** "a number of at least 0.5", "an array of 2 items", "one of GET, HEAD" */
  expected(nodeOrRef: SchemaNode): string {
    const node = this.resolve(nodeOrRef);
    if (node.enum) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
    if (node.pattern !== undefined) return PATTERN_WORDS[node.pattern] ?? `a string matching /${node.pattern}/`;
    if (!node.type) return 'a value';
    let words = TYPE_NOUN[node.type];
    if (node.type === 'array' && node.minItems !== undefined && node.minItems === node.maxItems) {
      const itemNoun = node.items?.type ? TYPE_NOUN[node.items.type].replace(/^an? /, '') : 'item';
      words = `an array of ${node.minItems} ${itemNoun}s`;
      // `lines` and `percentLines` describe their slots, e.g. "[warn, critical]".
      if (node.description?.startsWith('[')) words += ` ${node.description}`;
    }
    return words;
  }

  private check(nodeOrRef: SchemaNode, value: unknown, path: string, out: string[]): void {
    const node = this.resolve(nodeOrRef);
    const at = path === '' ? '(top level)' : path;
    if (node.enum && !node.enum.some((v) => v === value)) {
      out.push(`${at}: expected ${this.expected(node)}, got ${describeValue(value)}`);
      return;
    }
    if (node.type && !hasType(value, node.type)) {
      out.push(`${at}: expected ${this.expected(node)}, got ${describeValue(value)}`);
      return;
    }
    if (typeof value === 'number') this.checkNumber(node, value, at, out);
    if (typeof value === 'string') this.checkString(node, value, at, out);
    if (Array.isArray(value)) this.checkArray(node, value, path, out);
    if (isPlainObject(value)) this.checkObject(node, value, path, out);
  }

  private checkNumber(node: SchemaNode, value: number, at: string, out: string[]): void {
    const noun = node.type === 'integer' ? 'a whole number' : 'a number';
    if (node.minimum !== undefined && value < node.minimum) {
      out.push(`${at}: expected ${noun} of at least ${node.minimum}, got ${value}`);
    } else if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) {
      out.push(`${at}: expected ${noun} above ${node.exclusiveMinimum}, got ${value}`);
    } else if (node.maximum !== undefined && value > node.maximum) {
      out.push(`${at}: expected ${noun} of at most ${node.maximum}, got ${value}`);
    }
  }

  private checkString(node: SchemaNode, value: string, at: string, out: string[]): void {
    if (node.minLength !== undefined && value.length < node.minLength) {
      out.push(`${at}: expected a non-empty string, got ${describeValue(value)}`);
    } else if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) {
      const got = node.writeOnly ? `a string of ${value.length} characters (not shown: it may hold a password)` : describeValue(value);
      out.push(`${at}: expected ${this.expected(node)}, got ${got}`);
    }
  }

  private checkArray(node: SchemaNode, value: unknown[], path: string, out: string[]): void {
    const tooFew = node.minItems !== undefined && value.length < node.minItems;
    const tooMany = node.maxItems !== undefined && value.length > node.maxItems;
    if (tooFew || tooMany) {
      out.push(`${path}: expected ${this.expected(node)}, got ${describeValue(value)}`);
      return;
    }
    if (node.items) value.forEach((item, i) => this.check(node.items as SchemaNode, item, childPath(path, i), out));
  }

  private checkObject(node: SchemaNode, value: Record<string, unknown>, path: string, out: string[]): void {
    const known = Object.keys(node.properties ?? {});
    // Own properties only: a key such as `constructor` or `__proto__` must not find
    // Object.prototype and pass as a known one (found by test/fuzz-config.test.ts).
    const propertyOf = (key: string) => (node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined);
    for (const key of node.required ?? []) {
      if (!Object.hasOwn(value, key)) {
        const property = propertyOf(key);
        out.push(`${childPath(path, key)}: expected ${property ? this.expected(property) : 'a value'}, got nothing`);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const keyPath = childPath(path, key);
      if (node.propertyNames?.pattern !== undefined && !new RegExp(node.propertyNames.pattern).test(key)) {
        out.push(`${keyPath}: expected ${this.expected(node.propertyNames)} as the name, got ${describeValue(key)}`);
        continue;
      }
      const property = propertyOf(key);
      if (property) {
        this.check(property, child, keyPath, out);
      } else if (typeof node.additionalProperties === 'object') {
        this.check(node.additionalProperties, child, keyPath, out);
      } else if (node.additionalProperties === false) {
        const guess = closest(key, known);
        const hint = guess ? `did you mean "${guess}"?` : `expected one of ${known.join(', ')}`;
        out.push(`${keyPath}: unknown key; ${hint}`);
      }
    }
  }
}
