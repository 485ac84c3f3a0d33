// What the app's main process and its bundled server (running in an Electron
// utilityProcess, or a Node child process in tests) say to each other. The token never
// travels here or in argv: both sides read it from the install's token file.

/** Main -> server. */
export type ToBundledServer = { type: 'stop' };

/** Server -> main. */
export type FromBundledServer =
  | { type: 'listening'; url: string; port: number }
  | { type: 'failed'; message: string };

export function isFromBundledServer(value: unknown): value is FromBundledServer {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.type === 'listening') return typeof message.url === 'string' && Number.isInteger(message.port);
  if (message.type === 'failed') return typeof message.message === 'string';
  return false;
}

/** The arguments the server process is started with (besides `herald serve` flags). */
export function bundledServerArgs(input: { tokenFile: string; dataDir: string; port: number; configFile?: string }): string[] {
  return [
    '--token-file', input.tokenFile,
    '--data-dir', input.dataDir,
    '--port', String(input.port),
    ...(input.configFile ? ['--config', input.configFile] : []),
  ];
}
