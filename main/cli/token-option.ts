// The token a command is given: `--token`, else $HERALD_TOKEN (empty means none).
// One clients cannot send (server/protocol/token-format.ts) is refused before
// anything starts, naming where it came from and never showing it.

import { tokenProblem } from '../../server/protocol/token-format.ts';
import { stringFlag, UsageError, type ParsedArgs } from './args.ts';

export function tokenOption(command: string, parsed: ParsedArgs, env: NodeJS.ProcessEnv): string | undefined {
  const flag = stringFlag(parsed, 'token');
  const [token, source] = flag !== undefined ? [flag, '--token'] : [env.HERALD_TOKEN || undefined, 'HERALD_TOKEN'];
  if (token === undefined) return undefined;
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`herald ${command}: ${source}: ${problem}`);
  return token;
}
