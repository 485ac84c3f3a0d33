// The full `herald` command table: the server-side commands plus the ones built on
// main/app (`watch`). main/ may import server/; the reverse is not allowed.

import type { CommandTable } from '../../server/cli/cli.ts';
import { serverCommands } from '../../server/cli/commands.ts';
import { watchCommand } from './watch.ts';

export const heraldCommands: CommandTable = {
  ...serverCommands,
  watch: watchCommand,
};
