/**
 * Small 8-bit frames for series GIFs: a patient can have a hundred follow-ups, so frames are shrunk
 * to bound memory and GIF size. Shrinking averages whole blocks of pixels (a box filter), which keeps
 * the mean brightness of each region; 8-bit inputs keep their levels, 16-bit ones are min-max scaled
 * to 8 bits first.
 */
import type { Image2D } from '../../image.js';
import { scaleToUint8 } from '../../io/image-file.js';

/** An 8-bit copy of `image` no larger than `maxSide` on either side (same size if already small). */
export function thumbnail(image: Image2D<Uint8Array | Uint16Array>, maxSide: number): Image2D<Uint8Array> {
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new RangeError(`thumbnail side must be an integer >= 1, got ${maxSide}`);
  const gray = image.data instanceof Uint8Array ? (image as Image2D<Uint8Array>) : scaleToUint8(image);
  const factor = Math.ceil(Math.max(gray.width, gray.height) / maxSide);
  if (factor <= 1) return { width: gray.width, height: gray.height, data: Uint8Array.from(gray.data) };
  const width = Math.ceil(gray.width / factor);
  const height = Math.ceil(gray.height / factor);
  const out = new Uint8Array(width * height);
  for (let ty = 0; ty < height; ty++) {
    const y0 = ty * factor;
    const y1 = Math.min(y0 + factor, gray.height);
    for (let tx = 0; tx < width; tx++) {
      const x0 = tx * factor;
      const x1 = Math.min(x0 + factor, gray.width);
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * gray.width;
        for (let x = x0; x < x1; x++) sum += gray.data[row + x];
      }
      // Blocks on the right and bottom edges may be partial: average what is there.
      out[ty * width + tx] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width, height, data: out };
}
