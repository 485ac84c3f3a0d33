// The bundled server's process: an Electron utilityProcess, started through the
// Electron-free launcher in main/shell/utility-process-launcher.ts.
import { utilityProcess } from 'electron';
import type { LaunchServerProcess } from '../shell/bundled-server-supervisor.ts';
import { utilityProcessLauncher, type UtilityProcessFork } from '../shell/utility-process-launcher.ts';

const fork: UtilityProcessFork = (modulePath, args, options) => utilityProcess.fork(modulePath, args, options);

export function bundledServerLauncher(entry: string): LaunchServerProcess {
  return utilityProcessLauncher(fork, entry);
}
