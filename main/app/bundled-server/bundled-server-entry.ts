// The bundled server's process: scripts/build.ts bundles this file (with the whole
// server) into dist/server/herald-server.js, which the app starts in an Electron
// utilityProcess. It is `herald serve` bound to loopback, with the install's token
// from `--token-file`, reporting to its parent instead of printing:
// - in a utilityProcess: `process.parentPort` (Electron docs, "parentPort");
// - in a Node child process (the tests): `process.send`;
// - alone (`node dist/server/herald-server.js --token-file F ...`): the usual line.
import { createHeraldServer, type HeraldServer } from '../../../server/app.ts';
import { serveOptions } from '../../cli/serve.ts';
import { keepYoungGenerationSmall } from '../../../server/core/young-generation.ts';
import type { FromBundledServer } from './bundled-server-messages.ts';
import { loadOrCreateInstallToken } from './install-token.ts';
import { addressFileBeside, removeBundledServerAddress, writeBundledServerAddress } from './bundled-server-address.ts';

interface ParentChannel {
  send(message: FromBundledServer): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Resolves once what was sent is on its way (before an explicit exit). */
  flushed(): Promise<void>;
}

/**
 * How long a utilityProcess waits after its last message before exiting: parentPort
 * has no send callback, and the message goes to main through Electron's IPC threads.
 */
const PARENT_PORT_FLUSH_MS = 100;

/** The Electron ParentPort, seen structurally: this file runs without Electron in tests. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

function parentChannel(): ParentChannel {
  const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      flushed: () => new Promise((resolve) => setTimeout(resolve, PARENT_PORT_FLUSH_MS)),
    };
  }
  if (process.send) {
    let last: Promise<void> = Promise.resolve();
    return {
      send: (message) => {
        last = new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
      },
      onMessage: (listener) => process.on('message', listener),
      flushed: () => last,
    };
  }
  return {
    send: (message) =>
      message.type === 'listening' ? console.log(`listening on ${message.url}`) : console.error(`herald: ${message.message}`),
    onMessage: () => {},
    flushed: async () => {},
  };
}

/** Split `--token-file F` from the `herald serve` flags. */
export function splitTokenFile(argv: readonly string[]): { tokenFile: string; serveArgs: string[] } {
  const at = argv.indexOf('--token-file');
  const tokenFile = at >= 0 ? argv[at + 1] : undefined;
  if (tokenFile === undefined || tokenFile.startsWith('--')) {
    throw new Error('expected --token-file FILE (the install token the app created), got none');
  }
  return { tokenFile, serveArgs: [...argv.slice(0, at), ...argv.slice(at + 2)] };
}

async function run(): Promise<void> {
  const parent = parentChannel();
  keepYoungGenerationSmall();
  let server: HeraldServer;
  let addressFile: string;
  try {
    const { tokenFile, serveArgs } = splitTokenFile(process.argv.slice(2));
    addressFile = addressFileBeside(tokenFile);
    // HERALD_TOKEN from the user's environment must not replace the install token, and
    // HERALD_REDIS_URL (meant for `herald serve`) must not make the app's own server join Redis.
    const options = await serveOptions(serveArgs, { ...process.env, HERALD_TOKEN: '', HERALD_REDIS_URL: '' });
    server = await createHeraldServer({ ...options, host: '127.0.0.1', token: loadOrCreateInstallToken(tokenFile) });
  } catch (error) {
    // A utilityProcess does not exit when its event loop drains (electron/electron
    // issue 47228): without an explicit exit it would linger, and the app would never
    // see `exit`, never retry, and wait out the stop grace period on quit.
    parent.send({ type: 'failed', message: (error as Error).message });
    await parent.flushed();
    process.exit(1);
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    removeBundledServerAddress(addressFile);
    await server.close();
    process.exit(0);
  };
  parent.onMessage((message) => {
    if ((message as { type?: unknown })?.type === 'stop') void stop();
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // So that herald publish / run / watch on this machine find the app's server.
  writeBundledServerAddress(addressFile, { url: server.url, pid: process.pid });
  parent.send({ type: 'listening', url: server.url, port: server.port });
}

await run();
