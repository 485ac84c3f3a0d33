// The `herald` entry point (bin/herald.js imports this). Exits with the command's
// code once it is done; `serve` is done after a signal has shut it down.
import { main } from '../../server/cli/cli.ts';
import { processIO } from '../../server/cli/command.ts';
import { withBundledServerDefaults } from './bundled-server-default.ts';
import { heraldCommands } from './commands.ts';

const argv = process.argv.slice(2);
const io = { ...processIO, env: withBundledServerDefaults(argv[0], process.env) };
process.exit(await main(argv, io, heraldCommands));
