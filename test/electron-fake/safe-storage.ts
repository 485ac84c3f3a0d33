// A fake of Electron's safeStorage with Linux's behaviour: encryption is available once
// the app is ready; the backend is a keyring (gnome_libsecret) or, with none, the
// fixed-password `basic_text`. Its encryption is real (AES-GCM under a constant
// "keyring" key, so tokens survive a restart of the fake), so a token in the clear
// in a file is a real leak. Type-checked against Electron's SafeStorage.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type * as Electron from 'electron';

const KEYRING_KEY = createHash('sha256').update('herald fake electron keyring').digest();

export function fakeSafeStorage(options: { isReady(): boolean; hasKeyring: boolean }) {
  return {
    isEncryptionAvailable: () => options.isReady(),
    getSelectedStorageBackend: (): ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> =>
      !options.isReady() ? 'unknown' : options.hasKeyring ? 'gnome_libsecret' : 'basic_text',
    encryptString(plainText: string): Buffer {
      if (!options.isReady()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', KEYRING_KEY, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted: Buffer): string {
      if (encrypted.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const decipher = createDecipheriv('aes-256-gcm', KEYRING_KEY, encrypted.subarray(3, 15));
      decipher.setAuthTag(encrypted.subarray(15, 31));
      return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    },
  } satisfies Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;
}
