// Reading the config file's text from disk, refusing what is not a config file:
// anything but a regular file (a FIFO would block start-up for ever, /dev/zero would
// fill memory), more than MAX_CONFIG_BYTES, and bytes that are not UTF-8 (replacing
// them with U+FFFD would silently change the commands the file runs).

import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { HeraldError } from '../protocol/errors.ts';
import { decodeUtf8 } from '../protocol/utf8.ts';

/** The largest config file read, in bytes (1 MiB; real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, in a thread no
// signal reaches (and that even process.exit() waits for). Windows has no FIFOs.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function fail(path: string, reason: string, cause?: unknown): never {
  throw new HeraldError('bad_config', `cannot read config file ${path}: ${reason}`, cause === undefined ? undefined : { cause });
}

function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checkRegular(path: string, stats: Stats): void {
  if (!stats.isFile()) fail(path, `expected a regular file, got ${kind(stats)}`);
}

function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

/** 1-based line and column (in bytes) of `offset` in `bytes`. */
function lineAndColumn(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** The text of the config file at `path`, without a leading BOM; throws HeraldError('bad_config'). */
export async function readConfigText(path: string): Promise<string> {
  // Looked at before it is opened (a FIFO is never opened), and again once open, in
  // case the path was swapped for something else in between.
  try {
    checkRegular(path, await stat(path));
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    fail(path, ioReason(error), error);
  }
  let bytes: Buffer;
  try {
    const file = await open(path, OPEN_FLAGS);
    try {
      checkRegular(path, await file.stat());
      // One byte more than allowed tells "exactly the limit" from "over it".
      const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
      let size = 0;
      while (size < buffer.length) {
        const { bytesRead } = await file.read(buffer, size, buffer.length - size, null);
        if (bytesRead === 0) break;
        size += bytesRead;
      }
      if (size > MAX_CONFIG_BYTES) fail(path, `expected at most ${MAX_CONFIG_BYTES} bytes (1 MiB), got more`);
      bytes = buffer.subarray(0, size);
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    fail(path, ioReason(error), error);
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const at = decoded.offset;
    const shown = [...bytes.subarray(at, at + 4)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    fail(path, `expected UTF-8 text, got bytes that are not UTF-8 at byte ${at} (${lineAndColumn(bytes, at)}: ${shown}); save the file as UTF-8`);
  }
  return decoded.text.replace(/^\uFEFF/, '');
}
