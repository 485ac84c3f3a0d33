// The bundled server's process: an Electron utilityProcess (a Node child that Electron
// manages, with a message port to main: Electron docs, utilityProcess), as the
// supervisor's ServerProcess.
import { utilityProcess } from 'electron';
import type { LaunchServerProcess } from '../shell/bundled-server-supervisor.ts';

/**
 * The entry is unpacked next to the asar archive (electron-builder.yml, asarUnpack):
 * a real file is the safest thing to fork. In development there is no archive.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function utilityProcessLauncher(entry: string): LaunchServerProcess {
  return (args) => {
    const child = utilityProcess.fork(unpackedPath(entry), args, { serviceName: 'Herald server', stdio: 'inherit' });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
