// The `herald` command table: name -> command, in the order `herald --help` lists
// them. The server's commands (serve runs it; publish, run and job are its clients;
// token manages who may do what) and watch, the desktop app in a terminal.

import type { CommandTable } from './command.ts';
import { serveCommand } from './serve.ts';
import { publishCommand } from './publish.ts';
import { runCommand } from './run.ts';
import { jobCommand } from './job.ts';
import { watchCommand } from './watch.ts';
import { tokenCommand } from './token.ts';

export const heraldCommands: CommandTable = {
  serve: serveCommand,
  publish: publishCommand,
  run: runCommand,
  job: jobCommand,
  token: tokenCommand,
  watch: watchCommand,
};
