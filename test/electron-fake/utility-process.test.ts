// The fake utilityProcess behaves as Electron's does where the app relies on it
// (Electron docs, utilityProcess and parentPort; electron/electron issue 47228): a
// child with nothing left to do stays alive until process.exit; messages go both ways
// through process.parentPort, and those sent before the child listens wait for it;
// an unhandled rejection only warns (and sets the exit code); `spawn` comes first,
// `exit` carries a number, and a fatal end brings `error` before `exit`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkUtilityProcess, type FakeUtilityProcess } from './utility-process.ts';

let dir: string;
const children: FakeUtilityProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-utility-'));
});
afterAll(() => {
  for (const child of children) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

function start(name: string, source: string, args: string[] = []) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  const child = forkUtilityProcess(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const events: string[] = [];
  const messages: unknown[] = [];
  child.on('spawn', () => events.push('spawn'));
  child.on('message', (message: unknown) => messages.push(message));
  child.on('error', (type: string) => events.push(`error:${type}`));
  const exit = new Promise<number>((resolve) => child.on('exit', (code: number) => (events.push('exit'), resolve(code))));
  return { child, events, messages, exit };
}

const settled = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fake utilityProcess', () => {
  it('does not exit when its event loop drains; process.exit ends it with that code', async () => {
    const idle = start('idle', "process.parentPort.postMessage({ argv: process.argv.slice(2), send: typeof process.send });\n", ['--a', 'b']);
    // Its one message says the script ran to the end; it must still be there after.
    await expect.poll(() => idle.messages, { timeout: 10_000 }).toEqual([{ argv: ['--a', 'b'], send: 'undefined' }]);
    await settled(500);
    expect(idle.child.pid).toBeTypeOf('number');
    expect(idle.events).toEqual(['spawn']);
    const exiting = start('exiting', 'setTimeout(() => process.exit(3), 50);\n');
    expect(await exiting.exit).toBe(3);
    expect(exiting.events).toEqual(['spawn', 'exit']);
  });

  it('delivers messages from main as { data } once the child listens, including those sent before', async () => {
    const echo = start('echo', "setTimeout(() => process.parentPort.on('message', (e) => process.parentPort.postMessage({ echo: e.data })), 300);\n");
    echo.child.postMessage({ n: 1 });
    echo.child.postMessage({ n: 2 });
    await expect.poll(() => echo.messages, { timeout: 5000 }).toEqual([{ echo: { n: 1 } }, { echo: { n: 2 } }]);
  });

  it('only warns on an unhandled rejection (and keeps running)', async () => {
    const rejecting = start('rejecting', "Promise.reject(new Error('nobody catches this'));\nsetTimeout(() => process.parentPort.postMessage('still here'), 300);\n");
    await expect.poll(() => rejecting.messages, { timeout: 5000 }).toEqual(['still here']);
    expect(rejecting.events).toEqual(['spawn']);
  });

  it('reports a fatal end (an abort) as `error`, then `exit`; kill() says whether there was a process', async () => {
    const doomed = start('doomed', "process.parentPort.postMessage('up');\n");
    await expect.poll(() => doomed.messages, { timeout: 5000 }).toEqual(['up']);
    process.kill(doomed.child.pid!, 'SIGABRT');
    expect(typeof (await doomed.exit)).toBe('number');
    expect(doomed.events).toEqual(['spawn', 'error:FatalError', 'exit']);
    expect(doomed.child.kill()).toBe(false);
    expect(doomed.child.pid).toBeUndefined();
  });
});
