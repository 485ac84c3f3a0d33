// The server-side command table: name -> command. The full `herald` CLI
// (main/cli/commands.ts) adds the desktop-side commands (`watch`) to it; server/
// imports nothing of main/ (shared/DESIGN.md).

import type { Command } from './command.ts';
import { serveCommand } from './serve.ts';
import { publishCommand } from './publish.ts';
import { runCommand } from './run.ts';
import { jobCommand } from './job.ts';

export const serverCommands: Record<string, Command> = {
  serve: serveCommand,
  publish: publishCommand,
  run: runCommand,
  job: jobCommand,
};
