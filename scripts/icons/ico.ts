// Windows ICO container holding PNG-compressed images, which Windows reads since
// Vista ("ICO (file format)", ICONDIR / ICONDIRENTRY layout). One file carries every
// size so the shell picks the right one for the DPI.
import { encodePng, type RgbaImage } from './png.ts';

const ICONDIR_SIZE = 6;
const ICONDIRENTRY_SIZE = 16;

export function encodeIco(images: readonly RgbaImage[]): Buffer {
  if (images.length === 0) throw new Error('expected at least one image for an ICO file, got none');
  const pngs = images.map(encodePng);
  const header = Buffer.alloc(ICONDIR_SIZE);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(ICONDIRENTRY_SIZE * images.length);
  let offset = ICONDIR_SIZE + entries.length;
  images.forEach((image, index) => {
    if (image.width > 256 || image.height > 256) {
      throw new Error(`expected ICO images of at most 256x256, got ${image.width}x${image.height}`);
    }
    const png = pngs[index]!;
    const at = index * ICONDIRENTRY_SIZE;
    // A width or height of 256 is stored as 0.
    entries[at] = image.width % 256;
    entries[at + 1] = image.height % 256;
    entries[at + 2] = 0; // no palette
    entries[at + 3] = 0; // reserved
    entries.writeUInt16LE(1, at + 4); // colour planes
    entries.writeUInt16LE(32, at + 6); // bits per pixel
    entries.writeUInt32LE(png.length, at + 8);
    entries.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...pngs]);
}
