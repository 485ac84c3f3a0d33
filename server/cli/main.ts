// The CLI entry point (bin/herald.js imports this). Exits with the command's code
// once it is done; `serve` is done after a signal has shut it down.
import { main } from './cli.ts';

process.exit(await main(process.argv.slice(2)));
