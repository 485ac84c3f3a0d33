// The inside of a fake utilityProcess (utility-process.ts forks this file): loads the
// entry script the way Electron's utility process does (lib/utility/init.ts), so the
// script meets what it would meet under Electron:
// - `process.parentPort` (an EventEmitter with postMessage; messages arrive as
//   `{ data, ports }` and wait until a 'message' listener is attached), and no
//   `process.send`;
// - process.argv is [execPath, entry, ...args];
// - the process does NOT exit when its event loop drains (electron/electron issue
//   47228): only process.exit, a signal, a crash or the end of its parent ends it;
// - unhandled rejections only warn and set the exit code (the parent starts this
//   host with --unhandled-rejections=warn-with-error-code);
// - an entry that throws while loading is an uncaught exception.
// Messages travel over Node's IPC channel (advanced serialization: structured clone,
// as Electron's MessagePorts do), tagged so that nothing else on the channel is taken
// for a message.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { TO_CHILD, TO_PARENT } from './utility-process-channel.ts';

const [entry, ...args] = process.argv.slice(2);
if (!entry || !process.send) {
  console.error('utility-process-host: expected to be forked with the entry script as its first argument');
  process.exit(2);
}
const send = process.send.bind(process);

class ParentPort extends EventEmitter {
  #started = false;
  readonly #queue: unknown[] = [];
  constructor() {
    super();
    // Like Electron: the port starts when the first 'message' listener is added.
    this.on('newListener', (name) => {
      if (name === 'message' && !this.#started) {
        this.#started = true;
        setImmediate(() => this.#drain());
      }
    });
  }
  postMessage(message: unknown): void {
    send({ kind: TO_PARENT, data: message });
  }
  deliver(data: unknown): void {
    this.#queue.push(data);
    if (this.#started) this.#drain();
  }
  #drain(): void {
    for (const data of this.#queue.splice(0)) this.emit('message', { data, ports: [] });
  }
}

const parentPort = new ParentPort();
process.on('message', (message: { kind?: unknown; data?: unknown }) => {
  if (message?.kind === TO_CHILD) parentPort.deliver(message.data);
});
Object.defineProperty(process, 'parentPort', { enumerable: true, writable: false, value: parentPort });
// A utility process has no Node IPC of its own.
process.send = undefined;
// Stays alive with nothing left to do, as a utility process does; but not past its
// parent: Electron ends utility processes with the app.
setInterval(() => {}, 2 ** 30);
process.on('disconnect', () => process.exit(1));

process.argv = [process.execPath, entry, ...args];
await import(pathToFileURL(entry).href);
