// The `herald` entry point (bin/herald.js imports this). Exits with the command's
// code once it is done; `serve` is done after a signal has shut it down.
import { main } from './cli.ts';
import { processIO } from './command.ts';
import { withBundledServerDefaults } from './bundled-server-default.ts';

const argv = process.argv.slice(2);
const io = { ...processIO, env: withBundledServerDefaults(argv[0], process.env) };
process.exit(await main(argv, io));
