// The shipped icons are exactly what scripts/make-icons.ts draws (so they cannot drift
// from their source), and they are valid PNG / ICO files a reader can decode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { iconSet } from '../scripts/icons/icon-set.ts';
import { TRAY_ICON_LEVELS, trayIconPath } from '../main/app/tray/tray-icons.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Decode an 8-bit RGBA, non-interlaced PNG with filter 0 rows (what our writer makes). */
function decodePng(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { width, height, pixels };
}

function coverage(image: { pixels: Buffer }): number {
  let sum = 0;
  for (let i = 3; i < image.pixels.length; i += 4) sum += image.pixels[i]!;
  return sum / 255;
}

describe('shipped icons', () => {
  it('are exactly what the icon script draws', () => {
    for (const file of iconSet()) expect(readFileSync(join(root, file.path)).equals(file.bytes), file.path).toBe(true);
  });

  it('give each tray state its own shape, so it reads without colour', () => {
    const shapes = TRAY_ICON_LEVELS.map((level) => decodePng(readFileSync(join(root, trayIconPath(level, 'darwin')))));
    for (const image of shapes) expect([image.width, image.height]).toEqual([16, 16]);
    const masks = shapes.map((image) => Array.from({ length: 256 }, (_, i) => (image.pixels[i * 4 + 3]! > 127 ? 1 : 0)).join(''));
    expect(new Set(masks).size).toBe(TRAY_ICON_LEVELS.length);
  });

  it('draws macOS template images black on transparent', () => {
    for (const level of TRAY_ICON_LEVELS) {
      const image = decodePng(readFileSync(join(root, trayIconPath(level, 'darwin').replace('.png', '@2x.png'))));
      expect([image.width, image.height]).toEqual([32, 32]);
      for (let i = 0; i < image.pixels.length; i += 4) expect(image.pixels.readUIntBE(i, 3)).toBe(0);
      expect(coverage(image)).toBeGreaterThan(50);
    }
  });

  it('packs every Windows tray size into one ICO of PNG images', () => {
    const ico = readFileSync(join(root, trayIconPath('critical', 'win32')));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + i * 16;
      const image = decodePng(ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8)));
      expect(image.width).toBe(ico[entry] || 256);
      sizes.push(image.width);
    }
    expect(sizes).toEqual([16, 20, 24, 32, 40, 48, 64]);
  });
});
