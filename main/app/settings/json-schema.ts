// The subset of JSON Schema (draft 2020-12) the settings schema uses. Kept small on
// purpose: the same schema object goes to conf / electron-store (which validate it
// with ajv) and to our own validator (settings-validator.ts), which must understand
// every keyword used here, so adding a keyword means teaching the validator too.

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  maxItems?: number;
  enum?: readonly (string | number | boolean | null)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'description',
  'default',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'maxItems',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
]);
