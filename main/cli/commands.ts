// The full `herald` command table: the server-side commands plus the ones built on
// main/core (`watch`). main/ may import server/; the reverse is not allowed.

import type { CommandTable } from './cli.ts';
import { serverCommands } from './server-commands.ts';
import { watchCommand } from './watch.ts';

export const heraldCommands: CommandTable = {
  ...serverCommands,
  watch: watchCommand,
};
