// `herald <command> [args]`: dispatch to a command table. bin/herald.js runs
// main/cli/main.ts (every command). Tests call this directly.

import { heraldCommands } from './commands.ts';
import { processIO, type CliIO, type CommandTable } from './command.ts';
import { UsageError } from './args.ts';
import { VERSION } from '../../server/app.ts';

export function usage(commands: CommandTable = heraldCommands): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: herald <command> [args]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `herald <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO, commands: CommandTable = heraldCommands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    io.err(`herald: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(commands).join(', ')} (see herald --help)`);
    return 2;
  }
  // Flags after `--` belong to the command `herald run` starts, not to herald.
  const ownArgs = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    io.err(`herald ${name}: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}
