/** Test helpers: decode a rendered PNG and look at regions of it. */
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodePng(bytes: Uint8Array): Decoded {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

export function pixel(image: Decoded, x: number, y: number): number[] {
  const i = (Math.round(y) * image.width + Math.round(x)) * 4;
  return Array.from(image.data.subarray(i, i + 4));
}

/** Pixels in the box [x0, x1) x [y0, y1) matching a predicate on (r, g, b). */
export function countPixels(
  image: Decoded,
  box: { x0: number; y0: number; x1: number; y1: number },
  match: (r: number, g: number, b: number) => boolean,
): number {
  let count = 0;
  for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(image.height, box.y1); y++) {
    for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(image.width, box.x1); x++) {
      const i = (y * image.width + x) * 4;
      if (match(image.data[i], image.data[i + 1], image.data[i + 2])) count++;
    }
  }
  return count;
}

export const isDark = (r: number, g: number, b: number) => r + g + b < 200;
export const isWhite = (r: number, g: number, b: number) => r > 250 && g > 250 && b > 250;
export const whole = (image: Decoded) => ({ x0: 0, y0: 0, x1: image.width, y1: image.height });
