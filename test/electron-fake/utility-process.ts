// A fake of Electron's utilityProcess.fork that runs the entry in a real Node child
// (utility-process-host.ts gives the child what a utility process has), with the
// UtilityProcess surface the app uses, type-checked against Electron's own types:
// - 'spawn' once the child runs, 'message' for each parentPort.postMessage,
//   'exit' with a number (Electron reports a code even for a signal: 1 here);
// - 'error' ('FatalError', location, report) before 'exit' when the child dies the way
//   a V8 fatal error ends a process (SIGABRT, SIGTRAP, SIGSEGV, SIGILL). Electron
//   emits it on its EventEmitter, so with no listener it throws in main, as there;
// - postMessage to a child that is gone is dropped; kill() sends SIGTERM and says
//   whether there was a process to kill.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type * as Electron from 'electron';
import { TO_CHILD, TO_PARENT } from './utility-process-channel.ts';

const HOST = new URL('./utility-process-host.ts', import.meta.url).pathname;
const FATAL_SIGNALS = new Set(['SIGABRT', 'SIGTRAP', 'SIGSEGV', 'SIGILL']);

type UsedMembers = 'postMessage' | 'kill' | 'pid' | 'stdout' | 'stderr';

export class FakeUtilityProcess extends EventEmitter implements Pick<Electron.UtilityProcess, UsedMembers> {
  readonly #child: ChildProcess;
  #exited = false;

  constructor(modulePath: string, args: string[], options: Electron.ForkOptions) {
    super();
    const stdio = typeof options.stdio === 'string' ? ['ignore', options.stdio, options.stdio] : (options.stdio ?? ['ignore', 'inherit', 'inherit']);
    this.#child = fork(HOST, [modulePath, ...args], {
      stdio: [...stdio.slice(0, 3), 'ipc'] as Array<'ignore' | 'inherit' | 'pipe' | 'ipc'>,
      serialization: 'advanced',
      execArgv: ['--unhandled-rejections=warn-with-error-code', ...(options.execArgv ?? [])],
      ...(options.env ? { env: options.env as NodeJS.ProcessEnv } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    this.#child.on('spawn', () => this.emit('spawn'));
    this.#child.on('message', (message: { kind?: unknown; data?: unknown }) => {
      if (message?.kind === TO_PARENT) this.emit('message', message.data);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      if (signal && FATAL_SIGNALS.has(signal)) this.emit('error', 'FatalError', `${modulePath} (${signal})`, '{}');
      this.emit('exit', code ?? 1);
    });
  }

  get pid(): number | undefined {
    return this.#exited ? undefined : this.#child.pid;
  }

  get stdout(): Readable | null {
    return this.#child.stdout;
  }

  get stderr(): Readable | null {
    return this.#child.stderr;
  }

  postMessage(message: unknown): void {
    if (!this.#exited && this.#child.connected) this.#child.send({ kind: TO_CHILD, data: message });
  }

  kill(): boolean {
    if (this.#exited) return false;
    return this.#child.kill('SIGTERM');
  }
}

/** utilityProcess.fork without the `ready` check (the fake `electron` adds it). */
export function forkUtilityProcess(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}): FakeUtilityProcess {
  return new FakeUtilityProcess(modulePath, args, options);
}
