/** How `convert` fits an image's values into a PNG: as they are where they fit, else min-max scaled. */
import { scaleToLevels } from '../cpu/fast/levels.js';
import type { Image2D } from '../image.js';

export interface PngPixels {
  pixels: Image2D<Uint8Array | Uint16Array>;
  /** Set when the values did not fit and were min-max scaled to 8 bits: their range. */
  scaled?: { min: number; max: number };
}

/**
 * uint8 stays 8-bit and uint16 16-bit. Other dtypes (signed stored values, float modality values)
 * are kept exactly where every value is an integer in 0..255 (8-bit) or 0..65535 (16-bit); otherwise
 * they are min-max scaled to 8 bits, as `filter --out x.png` scales, and the range is reported.
 */
export function pngPixelsOf(image: Image2D): PngPixels {
  const { width, height, data } = image;
  if (data instanceof Uint8Array || data instanceof Uint16Array) return { pixels: { width, height, data } };
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (integral && min >= 0 && max <= 0xff) return { pixels: { width, height, data: Uint8Array.from(data) } };
  if (integral && min >= 0 && max <= 0xffff) return { pixels: { width, height, data: Uint16Array.from(data) } };
  return { pixels: { width, height, data: scaleToLevels(data) }, scaled: { min, max } };
}
