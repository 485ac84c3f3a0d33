// Reading a small text file named on the command line (the config file, the Redis
// URL file), refusing what is not one: anything but a regular file (a FIFO would
// block start-up for ever, /dev/zero would fill memory), more than a size limit, and
// bytes that are not UTF-8 (replacing them with U+FFFD would silently change the
// commands a config file runs).

import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { HeraldError } from '../protocol/errors.ts';
import { decodeUtf8 } from '../protocol/utf8.ts';

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, in a thread no
// signal reaches (and that even process.exit() waits for). Windows has no FIFOs.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What is read: "config file", for messages such as `cannot read config file PATH: ...`. */
export interface TextFileKind {
  what: string;
  maxBytes: number;
}

function fail(kind: TextFileKind, path: string, reason: string, cause?: unknown): never {
  throw new HeraldError('bad_config', `cannot read ${kind.what} ${path}: ${reason}`, cause === undefined ? undefined : { cause });
}

function showBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes} bytes (${bytes / (1024 * 1024)} MiB)`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes} bytes (${bytes / 1024} KiB)`;
  return `${bytes} bytes`;
}

function fileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checkRegular(kind: TextFileKind, path: string, stats: Stats): void {
  if (!stats.isFile()) fail(kind, path, `expected a regular file, got ${fileType(stats)}`);
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

/** The text of the file at `path`, without a leading BOM; throws HeraldError('bad_config'). */
export async function readTextFile(path: string, kind: TextFileKind): Promise<string> {
  // Looked at before it is opened (a FIFO is never opened), and again once open, in
  // case the path was swapped for something else in between.
  try {
    checkRegular(kind, path, await stat(path));
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    fail(kind, path, ioReason(error), error);
  }
  let bytes: Buffer;
  try {
    const file = await open(path, OPEN_FLAGS);
    try {
      checkRegular(kind, path, await file.stat());
      // One byte more than allowed tells "exactly the limit" from "over it".
      const buffer = Buffer.alloc(kind.maxBytes + 1);
      let size = 0;
      while (size < buffer.length) {
        const { bytesRead } = await file.read(buffer, size, buffer.length - size, null);
        if (bytesRead === 0) break;
        size += bytesRead;
      }
      if (size > kind.maxBytes) fail(kind, path, `expected at most ${showBytes(kind.maxBytes)}, got more`);
      bytes = buffer.subarray(0, size);
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof HeraldError) throw error;
    fail(kind, path, ioReason(error), error);
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const at = decoded.offset;
    const shown = [...bytes.subarray(at, at + 4)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    fail(kind, path, `expected UTF-8 text, got bytes that are not UTF-8 at byte ${at} (${lineAndColumn(bytes, at)}: ${shown}); save the file as UTF-8`);
  }
  return decoded.text.replace(/^\uFEFF/, '');
}
