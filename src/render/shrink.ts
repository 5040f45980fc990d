/**
 * Previews: an RGBA raster shrunk by a whole factor so that neither side exceeds `maxSide`, each
 * output pixel the mean of its block (a box filter, which keeps each region's mean colour; blocks on
 * the right and bottom edges may be partial and average what is there). Reports embed these
 * instead of the full-size panels, which sit next to the report as files.
 */
import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

export function shrinkRgba(image: RgbaImage, maxSide: number): RgbaImage {
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new RangeError(`preview side must be an integer >= 1, got ${maxSide}`);
  assertRgbaImage(image, 'preview source');
  const factor = Math.ceil(Math.max(image.width, image.height) / maxSide);
  if (factor <= 1) return image;
  const width = Math.ceil(image.width / factor);
  const height = Math.ceil(image.height / factor);
  const out = new Uint8Array(width * height * 4);
  const sums = new Float64Array(width * 4);
  for (let ty = 0; ty < height; ty++) {
    const y0 = ty * factor;
    const y1 = Math.min(y0 + factor, image.height);
    sums.fill(0);
    for (let y = y0; y < y1; y++) {
      const row = y * image.width * 4;
      for (let x = 0; x < image.width; x++) {
        const s = Math.floor(x / factor) * 4;
        const p = row + x * 4;
        sums[s] += image.rgba[p];
        sums[s + 1] += image.rgba[p + 1];
        sums[s + 2] += image.rgba[p + 2];
        sums[s + 3] += image.rgba[p + 3];
      }
    }
    for (let tx = 0; tx < width; tx++) {
      const count = (y1 - y0) * (Math.min((tx + 1) * factor, image.width) - tx * factor);
      for (let c = 0; c < 4; c++) out[(ty * width + tx) * 4 + c] = Math.round(sums[tx * 4 + c] / count);
    }
  }
  return { width, height, rgba: out };
}
