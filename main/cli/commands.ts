// The `herald` command table: name -> command, in the order `herald --help` lists
// them. The server's commands (serve runs it; publish, run and job are its clients)
// and watch, the desktop core in a terminal.

import type { CommandTable } from './command.ts';
import { serveCommand } from './serve.ts';
import { publishCommand } from './publish.ts';
import { runCommand } from './run.ts';
import { jobCommand } from './job.ts';
import { watchCommand } from './watch.ts';

export const heraldCommands: CommandTable = {
  serve: serveCommand,
  publish: publishCommand,
  run: runCommand,
  job: jobCommand,
  watch: watchCommand,
};
