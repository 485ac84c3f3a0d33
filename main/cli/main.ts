// The `herald` entry point (bin/herald.js imports this). Exits with the command's
// code once it is done; `serve` is done after a signal has shut it down.
import { main } from '../../server/cli/cli.ts';
import { processIO } from '../../server/cli/command.ts';
import { heraldCommands } from './commands.ts';

process.exit(await main(process.argv.slice(2), processIO, heraldCommands));
