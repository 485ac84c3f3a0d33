// `herald run -- <command...>`: run a local command, pass its output through, and
// stream its lifecycle to the server like a job (topic `run/<name>`), then exit
// with the command's own status. "Tell me when my build is done" from any terminal.

import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { topicProblem } from '../../server/protocol/topics.ts';
import { exitStatus } from '../../server/sources/shell.ts';
import { RunTracker } from '../../server/sources/jobs/run-tracker.ts';
import type { EndState } from '../../server/protocol/events.ts';
import { parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { SERVER_OPTIONS_HELP, serverTarget } from './server-api.ts';
import { StatusPoster } from './status-poster.ts';
import { ChildOutput, Echo } from './child-output.ts';
import { truncateUtf8 } from '../../server/protocol/utf8.ts';

/** At most one progress update a second; the newest status wins. */
const UPDATE_EVERY_MS = 1000;
/** After the command exits, how long its last events may take to be sent. */
const SETTLE_MS = 5000;
/** UTF-8 bytes of the command shown in the status. */
const MAX_SHOWN_COMMAND_BYTES = 200;

const help = `usage: herald run [options] -- <command> [args...]

Run a command and stream its lifecycle to the server like a job: updates with
state, progress (from "42%", "3/10" or "::progress 0.42" lines) and the last output
line, then "end" with the exit code, duration and last lines. Its output passes
through to this terminal, and herald exits with the command's exit code (128 + N
when a signal N stopped it). If the server cannot be reached the command still
runs; herald says so once on stderr.

options:
  --topic TOPIC      where to publish (default: run/<name of the command>)
${SERVER_OPTIONS_HELP}
  -h, --help         show this help

example:
  herald run -- make -j8          # topic run/make`;

/** `run/<basename>`, with characters a topic segment cannot hold replaced. */
export function defaultRunTopic(program: string): string {
  const name = basename(program).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `run/${name === '' || name === '.' || name === '..' ? 'command' : name}`;
}

/** The command as a shell would show it, for the status. */
function showCommand(argv: string[]): string {
  const text = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
  return truncateUtf8(text, MAX_SHOWN_COMMAND_BYTES);
}

function splitAtDashes(argv: string[]): { flags: string[]; command: string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { flags: argv, command: [] } : { flags: argv.slice(0, at), command: argv.slice(at + 1) };
}

export const runCommand: Command = {
  summary: 'run a command and stream its lifecycle to a topic (exits with its code)',
  help,
  async run(argv, io) {
    const { flags, command } = splitAtDashes(argv);
    const parsed = parseCommandArgs('run', flags, { topic: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' } }, false);
    const [program, ...args] = command;
    if (program === undefined) {
      throw new UsageError('herald run: expected a command after --, e.g. herald run -- make -j8');
    }
    const topic = stringFlag(parsed, 'topic') ?? defaultRunTopic(program);
    const problem = topicProblem(topic);
    if (problem) throw new UsageError(`herald run: --topic: ${problem}`);
    const poster = new StatusPoster(serverTarget('run', parsed, io.env), topic, io.err);
    return runAndReport(program, args, poster, io.err);
  },
};

async function runAndReport(program: string, args: string[], poster: StatusPoster, warn: (line: string) => void): Promise<number> {
  // Before anything is written: a reader that goes away (`| head`) must not crash us.
  const out = new Echo(process.stdout);
  const err = new Echo(process.stderr);
  const tracker = new RunTracker(showCommand([program, ...args]), Date.now());
  let lastSent = -Infinity;
  let pending: NodeJS.Timeout | null = null;
  const sendStatus = (): void => {
    if (pending) clearTimeout(pending);
    pending = null;
    lastSent = Date.now();
    poster.post({ event: 'update', status: tracker.status(Date.now()) });
  };
  const statusChanged = (): void => {
    const wait = lastSent + UPDATE_EVERY_MS - Date.now();
    if (wait <= 0) sendStatus();
    else pending ??= setTimeout(sendStatus, wait);
  };

  // stdin stays the terminal's, so interactive commands keep working.
  const child = spawn(program, args, { stdio: ['inherit', 'pipe', 'pipe'] });
  tracker.state = 'running';
  sendStatus();
  const outputs = [
    new ChildOutput(child.stdout, out, (text) => tracker.output('stdout', text) && statusChanged()),
    new ChildOutput(child.stderr, err, (text) => tracker.output('stderr', text) && statusChanged()),
  ];

  // A signal meant for the command (Ctrl-C reaches both from a terminal; `kill` may
  // reach only us): pass it on and wait for the command to finish.
  let interrupted = false;
  const forward = (signal: NodeJS.Signals): void => {
    interrupted = true;
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);

  // The run ends when the command exits ('exit'), not when every process holding its
  // pipes has closed them ('close'): a background job it started may hold them for ever.
  const outcome = await new Promise<{ status: number; state: EndState; reason?: string }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const notFound = error.code === 'ENOENT';
      const shown = truncateUtf8(program, MAX_SHOWN_COMMAND_BYTES);
      const reason = notFound ? `command not found: ${shown}` : `cannot run ${shown}: ${error.message}`;
      warn(`herald run: ${reason}`);
      // 127 and 126 are what a shell answers for "not found" and "cannot execute".
      resolve({ status: notFound ? 127 : 126, state: 'failed', reason });
    });
    child.once('exit', (code, signal) => {
      const status = exitStatus(code, signal) ?? 1;
      const state: EndState = status === 0 ? 'succeeded' : interrupted && signal !== null ? 'cancelled' : 'failed';
      resolve({ status, state });
    });
  });
  for (const signal of signals) process.off(signal, forward);
  // What the command wrote before it exited is in the pipes: read it (bounded).
  await Promise.all(outputs.map((output) => output.settle()));
  if (pending) clearTimeout(pending);

  tracker.flush();
  tracker.finish(outcome.state, outcome.status, Date.now());
  poster.post({ event: 'update', status: tracker.status(Date.now()) });
  const { topic: _topic, time: _time, ...end } = tracker.end('unused', outcome.reason);
  poster.end(end);
  await poster.settle(SETTLE_MS);
  return outcome.status;
}
