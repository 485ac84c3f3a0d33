// The bundled server's process: scripts/build.ts bundles this file (with the whole
// server) into dist/server/herald-server.js, which the app starts in an Electron
// utilityProcess. It is `herald serve` bound to loopback, with the install's token
// from `--token-file`, reporting to its parent instead of printing:
// - in a utilityProcess: `process.parentPort` (Electron docs, "parentPort");
// - in a Node child process (the tests): `process.send`;
// - alone (`node dist/server/herald-server.js --token-file F ...`): the usual line.
import { createHeraldServer, type HeraldServer } from '../../server/app.ts';
import { serveOptions } from '../cli/serve.ts';
import type { FromBundledServer } from './bundled-server-messages.ts';
import { loadOrCreateInstallToken } from './install-token.ts';
import { addressFileBeside, removeBundledServerAddress, writeBundledServerAddress } from './bundled-server-address.ts';

interface ParentChannel {
  send(message: FromBundledServer): void;
  onMessage(listener: (message: unknown) => void): void;
}

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
    };
  }
  if (process.send) {
    return {
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', listener),
    };
  }
  return {
    send: (message) =>
      message.type === 'listening' ? console.log(`listening on ${message.url}`) : console.error(`herald: ${message.message}`),
    onMessage: () => {},
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
    parent.send({ type: 'failed', message: (error as Error).message });
    process.exitCode = 1;
    return;
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
