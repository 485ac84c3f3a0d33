// The command table: name -> command. Add a command by adding one line here.

import type { Command } from './command.ts';
import { serveCommand } from './serve.ts';
import { publishCommand } from './publish.ts';
import { runCommand } from './run.ts';
import { jobCommand } from './job.ts';
import { watchCommand } from './watch.ts';

export const commands: Record<string, Command> = {
  serve: serveCommand,
  publish: publishCommand,
  run: runCommand,
  job: jobCommand,
  watch: watchCommand,
};
