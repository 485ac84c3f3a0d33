// The bundled server's process as the supervisor's ServerProcess, over Electron's
// utilityProcess (a Node child that Electron manages, with a message port to main:
// Electron docs, utilityProcess). Electron-free: main/electron/bundled-server.ts hands
// in the real `utilityProcess.fork` (the type checker holds it to UtilityProcessFork),
// tests hand in the fake under test/electron-fake/.
import type { LaunchServerProcess } from './bundled-server-supervisor.ts';

/** What the launcher uses of Electron's UtilityProcess. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
}

export type UtilityProcessFork = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: 'inherit' },
) => UtilityProcessLike;

/**
 * The entry is unpacked next to the asar archive (electron-builder.yml, asarUnpack):
 * a real file is the safest thing to fork. In development there is no archive.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function utilityProcessLauncher(fork: UtilityProcessFork, entry: string): LaunchServerProcess {
  return (args) => {
    const child = fork(unpackedPath(entry), args, { serviceName: 'Herald server', stdio: 'inherit' });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      // Without a listener, Electron's `error` event (a fatal V8 error in the child)
      // would throw in main. `exit` follows it, where the supervisor restarts.
      onError: (listener) => child.on('error', (type, location) => listener(`the bundled server crashed (${type} at ${location})`)),
      kill: () => void child.kill(),
    };
  };
}
