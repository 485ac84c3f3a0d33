// The artwork of Herald's icons, drawn as shapes in a unit square and rasterized with
// 4x4 supersampling so edges are smooth at 16 px. Each tray state has its own shape as
// well as its own colour (a dot, a triangle, a diamond, a ring), so the state reads
// in monochrome macOS template images and for people who do not tell the colours apart.
import type { RgbaImage } from './png.ts';

export const TRAY_LEVELS = ['ok', 'warn', 'critical', 'disconnected'] as const;
export type TrayLevel = (typeof TRAY_LEVELS)[number];

type Rgb = readonly [number, number, number];
/** True when the point (x, y), both in -1..1 with y pointing down, is inside the shape. */
type Shape = (x: number, y: number) => boolean;

const COLOURS: Record<TrayLevel, Rgb> = {
  ok: [0x2e, 0x9e, 0x44],
  warn: [0xe0, 0xa1, 0x00],
  critical: [0xd9, 0x30, 0x25],
  disconnected: [0x8a, 0x8a, 0x8a],
};

const disc = (r: number): Shape => (x, y) => x * x + y * y <= r * r;
const ring = (outer: number, inner: number): Shape => (x, y) => {
  const d = x * x + y * y;
  return d <= outer * outer && d >= inner * inner;
};
const diamond = (r: number): Shape => (x, y) => Math.abs(x) + Math.abs(y) <= r;
/** An upward triangle with its base at y = 0.75 and apex at y = -0.85. */
const triangle: Shape = (x, y) => y <= 0.75 && y >= -0.85 && Math.abs(x) <= ((y + 0.85) / 1.6) * 0.92;

const TRAY_SHAPES: Record<TrayLevel, Shape> = {
  ok: disc(0.72),
  warn: triangle,
  critical: diamond(0.9),
  disconnected: ring(0.72, 0.44),
};

const SAMPLES = 4;

function rasterize(size: number, paint: (x: number, y: number) => readonly [number, number, number, number]): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = ((px + (sx + 0.5) / SAMPLES) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / SAMPLES) / size) * 2 - 1;
          const [sr, sg, sb, sa] = paint(x, y);
          r += sr * sa; g += sg * sa; b += sb * sa; a += sa;
        }
      }
      const at = (py * size + px) * 4;
      // Average colour weighted by coverage, so edge pixels keep the shape's colour.
      pixels[at] = a === 0 ? 0 : Math.round(r / a);
      pixels[at + 1] = a === 0 ? 0 : Math.round(g / a);
      pixels[at + 2] = a === 0 ? 0 : Math.round(b / a);
      pixels[at + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return { width: size, height: size, pixels };
}

/**
 * A tray icon. `template` draws it black on transparent, as macOS template images
 * must be (Electron docs, NativeImage "Template Image"): the system recolours it for
 * light and dark menu bars.
 */
export function drawTrayIcon(level: TrayLevel, size: number, template: boolean): RgbaImage {
  const shape = TRAY_SHAPES[level];
  const [r, g, b] = template ? [0, 0, 0] : COLOURS[level];
  return rasterize(size, (x, y) => (shape(x, y) ? [r, g, b, 1] : [0, 0, 0, 0]));
}

const APP_BACKGROUND: Rgb = [0x1f, 0x3b, 0x5c];
const APP_FOREGROUND: Rgb = [0xff, 0xff, 0xff];

/** A rounded square with a point and two rings: a signal going out. */
export function drawAppIcon(size: number): RgbaImage {
  const corner = 0.36;
  const inSquare = (x: number, y: number): boolean => {
    const dx = Math.max(Math.abs(x) - (0.94 - corner), 0);
    const dy = Math.max(Math.abs(y) - (0.94 - corner), 0);
    return dx * dx + dy * dy <= corner * corner;
  };
  const mark = [disc(0.16), ring(0.46, 0.34), ring(0.74, 0.62)];
  return rasterize(size, (x, y) => {
    if (!inSquare(x, y)) return [0, 0, 0, 0];
    const [r, g, b] = mark.some((shape) => shape(x, y)) ? APP_FOREGROUND : APP_BACKGROUND;
    return [r, g, b, 1];
  });
}
