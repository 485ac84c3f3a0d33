// Flag parsing for every command: node:util parseArgs in strict mode, with errors
// rewritten to name the command and the flag, and number flags checked here.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parse `argv` for `command`; unknown flags and missing values throw UsageError. */
export function parseCommandArgs(command: string, argv: string[], options: FlagSpec, allowPositionals = true): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
    return { flags: values as ParsedArgs['flags'], positionals };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`herald ${command}: ${message}; see herald ${command} --help`);
  }
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A number flag, checked against a range, so `--port abc` fails with a clear line. */
export function numberFlag(
  command: string,
  parsed: ParsedArgs,
  name: string,
  range: { min: number; max?: number; integer?: boolean },
): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    value >= range.min &&
    (range.max === undefined || value <= range.max) &&
    (!range.integer || Number.isInteger(value));
  if (!ok) {
    const kind = range.integer ? 'an integer' : 'a number';
    const upper = range.max === undefined ? '' : ` to ${range.max}`;
    throw new UsageError(`herald ${command}: expected --${name} to be ${kind} from ${range.min}${upper}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
