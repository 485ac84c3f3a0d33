// Checks a value against the JSON Schema subset Herald's schemas use, and lists EVERY
// problem by its path (`jobs.backup.command: expected a string, got 42`). One checker
// for the config file (server/config) and the desktop settings (main/app/settings),
// whose form in the renderer runs it too: so it is free of Node, and interprets the
// schema instead of compiling it to code (the dashboard's Content-Security-Policy
// forbids eval). `SUPPORTED_KEYWORDS` names the subset, and each schema's tests refuse
// a keyword outside it (JSON Schema 2020-12, "Validation" vocabulary).

import { describeValue } from './errors.ts';

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface SchemaNode {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  title?: string;
  description?: string;
  default?: unknown;
  type?: JsonType | readonly JsonType[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: readonly string[];
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: readonly unknown[];
  /** A secret (a token, a URL with a password): messages never show its value. */
  writeOnly?: boolean;
}

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'default', 'type', 'properties',
  'additionalProperties', 'required', 'propertyNames', 'items', 'minItems', 'maxItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'maxLength', 'pattern', 'enum', 'writeOnly',
]);

export interface SchemaProblem {
  /** `servers[0].url`, `jobs.backup.command`; empty for the value itself. */
  path: string;
  expected: string;
  got: string;
  /** `path: expected X, got Y`, or `path: unknown key; did you mean "x"?`. */
  message: string;
}

/**
 * What a `pattern` means. Words name it wherever the property is described; a pattern
 * only a breaking value should explain (a secret's) gives what was expected and what
 * is wrong with such a value, without showing it, and is otherwise named by its type.
 */
export type PatternMeaning = string | { expected: string; got(value: string): string };

export interface SchemaCheckerOptions {
  /** What the message calls the value itself (path ''): default `(top level)`. */
  rootName?: string;
  /** What each `pattern` means, in words a user can act on; others read "a string matching /…/". */
  patternWords?: Readonly<Record<string, PatternMeaning>>;
}

const TYPE_NOUN: Record<JsonType, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * `jobs.backup`, `probes["my probe"]`, `system.thresholds.cpu[1]`: a key that is not
 * a plain name is quoted, so a path is never empty, ambiguous or broken over lines.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: JsonType): boolean {
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
    case 'null':
      return value === null;
  }
}

function typesOf(node: SchemaNode): readonly JsonType[] {
  return node.type === undefined ? [] : typeof node.type === 'string' ? [node.type] : node.type;
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
  private readonly rootName: string;
  private readonly patternWords: Readonly<Record<string, PatternMeaning>>;
  private readonly patterns = new Map<string, RegExp>();

  constructor(root: SchemaNode, options: SchemaCheckerOptions = {}) {
    this.root = root;
    this.rootName = options.rootName ?? '(top level)';
    this.patternWords = options.patternWords ?? {};
  }

  /** Every problem with `value`, each naming its path, what was expected and what arrived. */
  problems(value: unknown): SchemaProblem[] {
    const out: SchemaProblem[] = [];
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

  /** "a number", "a whole number or null", "an array of 2 numbers", "one of GET, HEAD" */
  expected(nodeOrRef: SchemaNode): string {
    const node = this.resolve(nodeOrRef);
    if (node.enum) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
    const meaning = node.pattern === undefined ? undefined : (this.patternWords[node.pattern] ?? `a string matching /${node.pattern}/`);
    if (typeof meaning === 'string') return meaning;
    const types = typesOf(node);
    if (types.length === 0) return 'a value';
    return types.map((t) => (t === 'array' ? this.arrayNoun(node) : TYPE_NOUN[t])).join(' or ');
  }

  /** "an array", or "an array of 2 numbers [warn, critical]" when its length is fixed. */
  private arrayNoun(node: SchemaNode): string {
    if (node.minItems === undefined || node.minItems !== node.maxItems) return TYPE_NOUN.array;
    const itemType = node.items ? typesOf(node.items)[0] : undefined;
    const itemNoun = itemType ? TYPE_NOUN[itemType].replace(/^an? /, '') : 'item';
    const words = `an array of ${node.minItems} ${itemNoun}s`;
    // `lines` and `percentLines` describe their slots, e.g. "[warn, critical]".
    return node.description?.startsWith('[') ? `${words} ${node.description}` : words;
  }

  private add(out: SchemaProblem[], path: string, expected: string, got: string): void {
    out.push({ path, expected, got, message: `${path || this.rootName}: expected ${expected}, got ${got}` });
  }

  private matches(pattern: string, value: string): boolean {
    let regex = this.patterns.get(pattern);
    if (!regex) this.patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
    return regex.test(value);
  }

  private check(nodeOrRef: SchemaNode, value: unknown, path: string, out: SchemaProblem[]): void {
    const node = this.resolve(nodeOrRef);
    if (node.enum && !node.enum.some((v) => v === value)) return this.add(out, path, this.expected(node), describeValue(value));
    const types = typesOf(node);
    if (types.length > 0 && !types.some((t) => hasType(value, t))) return this.add(out, path, this.expected(node), describeValue(value));
    if (typeof value === 'number') this.checkNumber(node, value, path, out);
    if (typeof value === 'string') this.checkString(node, value, path, out);
    if (Array.isArray(value)) this.checkArray(node, value, path, out);
    if (isPlainObject(value)) this.checkObject(node, value, path, out);
  }

  private checkNumber(node: SchemaNode, value: number, path: string, out: SchemaProblem[]): void {
    const noun = typesOf(node).includes('integer') ? 'a whole number' : 'a number';
    if (node.minimum !== undefined && value < node.minimum) {
      this.add(out, path, `${noun} of at least ${node.minimum}`, String(value));
    } else if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) {
      this.add(out, path, `${noun} above ${node.exclusiveMinimum}`, String(value));
    } else if (node.maximum !== undefined && value > node.maximum) {
      this.add(out, path, `${noun} of at most ${node.maximum}`, String(value));
    }
  }

  /** One problem per string: the first rule it breaks. */
  private checkString(node: SchemaNode, value: string, path: string, out: SchemaProblem[]): void {
    if (node.minLength !== undefined && value.length < node.minLength) {
      this.add(out, path, node.minLength === 1 ? 'a non-empty string' : `at least ${node.minLength} characters`, describeValue(value));
    } else if (node.maxLength !== undefined && value.length > node.maxLength) {
      this.add(out, path, `at most ${node.maxLength} characters`, `${value.length} characters`);
    } else if (node.pattern !== undefined && !this.matches(node.pattern, value)) {
      const meaning = this.patternWords[node.pattern];
      if (typeof meaning === 'object') return this.add(out, path, meaning.expected, meaning.got(value));
      const got = node.writeOnly ? `a string of ${value.length} characters (not shown: it may hold a password)` : describeValue(value);
      this.add(out, path, this.expected(node), got);
    }
  }

  private checkArray(node: SchemaNode, value: unknown[], path: string, out: SchemaProblem[]): void {
    if (node.minItems !== undefined && node.minItems === node.maxItems && value.length !== node.minItems) {
      return this.add(out, path, this.expected(node), describeValue(value));
    }
    if (node.minItems !== undefined && value.length < node.minItems) {
      return this.add(out, path, `an array of at least ${node.minItems} items`, describeValue(value));
    }
    if (node.maxItems !== undefined && value.length > node.maxItems) {
      return this.add(out, path, `an array of at most ${node.maxItems} items`, describeValue(value));
    }
    if (node.items) value.forEach((item, i) => this.check(node.items as SchemaNode, item, childPath(path, i), out));
  }

  private checkObject(node: SchemaNode, value: Record<string, unknown>, path: string, out: SchemaProblem[]): void {
    const known = Object.keys(node.properties ?? {});
    // Own properties only: a key such as `constructor` or `__proto__` must not find
    // Object.prototype and pass as a known one (found by test/fuzz-config.test.ts).
    const propertyOf = (key: string) => (node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined);
    for (const key of node.required ?? []) {
      if (!Object.hasOwn(value, key)) {
        const property = propertyOf(key);
        this.add(out, childPath(path, key), property ? this.expected(property) : 'a value', describeValue(undefined));
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const keyPath = childPath(path, key);
      if (node.propertyNames?.pattern !== undefined && !this.matches(node.propertyNames.pattern, key)) {
        this.add(out, keyPath, `${this.expected(node.propertyNames)} as the name`, describeValue(key));
        continue;
      }
      const property = propertyOf(key);
      if (property) {
        this.check(property, child, keyPath, out);
      } else if (typeof node.additionalProperties === 'object') {
        this.check(node.additionalProperties, child, keyPath, out);
      } else if (node.additionalProperties === false) {
        const guess = closest(key, known);
        const expected = guess ? `"${guess}"` : `one of ${known.join(', ')}`;
        const hint = guess ? `did you mean "${guess}"?` : `expected ${expected}`;
        out.push({ path: keyPath, expected, got: JSON.stringify(key), message: `${keyPath || this.rootName}: unknown key; ${hint}` });
      }
    }
  }
}
