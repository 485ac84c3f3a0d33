// What every CLI command is: a one-line summary for `herald --help`, its own help
// text, and a run function that returns the exit code.

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  summary: string;
  /** The full `herald <name> --help` text. */
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Every command of `herald`, by name. */
export type CommandTable = Record<string, Command>;

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
