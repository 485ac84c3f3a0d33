// The server-side CLI entry point (serve, publish, run, job); bin/herald.js runs
// main/cli/main.ts, which adds the desktop-side commands. Exits with the command's code
// once it is done; `serve` is done after a signal has shut it down.
import { main } from './cli.ts';

process.exit(await main(process.argv.slice(2)));
