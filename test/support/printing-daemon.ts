// A daemon that prints one line once it is ready (dbus-daemon --print-address=1 its
// bus address, Xvfb -displayfd 1 its display number): start it, wait for the line,
// keep it running. The caller kills it.
import { spawn, type ChildProcess } from 'node:child_process';

export function startPrintingDaemon(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ child, line: out.split('\n')[0]!.trim() });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
    child.once('error', (error) => reject(new Error(`${command} could not be started (${error.message}); install it (Debian: dbus for dbus-daemon, xvfb for Xvfb)`)));
  });
}
