// Tokens of remote servers, kept out of the plaintext settings file: encrypted with
// Electron's safeStorage (the OS keychain on macOS, DPAPI on Windows, the Secret
// Service or KWallet on Linux) in their own owner-only file, server-tokens.json, keyed
// by server id; settings.json keeps an empty token for them. Where safeStorage has no
// real key (Linux without a keyring: the `basic_text` backend encrypts with a fixed,
// public password), tokens stay in settings.json, which is owner-only (0600), and the
// app says so once.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the vault uses of Electron's safeStorage. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): string;
}

export const TOKENS_FILE_NAME = 'server-tokens.json';

export const PLAINTEXT_TOKENS_NOTICE =
  'Server tokens are stored unencrypted (in the owner-only settings file): no OS keyring is available to encrypt them';

export interface TokenVault {
  /** The decrypted token of a server, or undefined when none is stored. */
  get(serverId: string): string | undefined;
  /** Keep exactly these tokens (an empty token is not kept). */
  replaceAll(tokens: ReadonlyMap<string, string>): void;
  /** Tokens that could not be decrypted (another keyring, a damaged file): ids, to re-enter. */
  readonly unreadable: readonly string[];
}

/** True where safeStorage encrypts with a key of the OS's, not a fixed one. */
export function encryptionIsReal(storage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!storage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = storage.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

interface TokensFile {
  version: 1;
  tokens: Record<string, string>;
}

function readTokensFile(file: string): TokensFile {
  if (!existsSync(file)) return { version: 1, tokens: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TokensFile>;
  if (parsed?.version !== 1 || typeof parsed.tokens !== 'object' || parsed.tokens === null) {
    throw new Error(`${file}: expected {"version": 1, "tokens": {...}}, got ${JSON.stringify(parsed).slice(0, 80)}`);
  }
  return parsed as TokensFile;
}

/** The vault in `dir`, or null where encryption is not real (tokens then stay in the settings). */
export function openTokenVault(input: { dir: string; storage: SafeStorageLike; platform: NodeJS.Platform }): TokenVault | null {
  if (!encryptionIsReal(input.storage, input.platform)) return null;
  const file = join(input.dir, TOKENS_FILE_NAME);
  let stored: TokensFile;
  const unreadable: string[] = [];
  try {
    stored = readTokensFile(file);
  } catch {
    // A damaged file loses the tokens, not the app: they are asked for again.
    stored = { version: 1, tokens: {} };
    unreadable.push('*');
  }
  const plain = new Map<string, string>();
  for (const [id, encrypted] of Object.entries(stored.tokens)) {
    try {
      plain.set(id, input.storage.decryptString(Buffer.from(encrypted, 'base64')));
    } catch {
      unreadable.push(id);
    }
  }
  return {
    get: (serverId) => plain.get(serverId),
    unreadable,
    replaceAll(tokens) {
      const next: TokensFile = { version: 1, tokens: {} };
      plain.clear();
      for (const [id, token] of tokens) {
        if (!token) continue;
        plain.set(id, token);
        next.tokens[id] = input.storage.encryptString(token).toString('base64');
      }
      const temporary = `${file}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, file);
    },
  };
}
