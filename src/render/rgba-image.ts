/** An 8-bit RGBA raster (row-major, 4 bytes per pixel, straight alpha): what figures and reports draw. */
import type { Image2D } from '../image.js';

/** An RGBA8 image, 4 bytes per pixel, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** Pixel (row y, column x) is `rgba[4 (y * width + x) + 0..3]`. */
  readonly rgba: Uint8Array;
}

/** Checks that an RGBA raster's byte count matches its size; `what` names it in the error. */
export function assertRgbaImage(image: RgbaImage, what = 'image'): void {
  const { width, height, rgba } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what} size must be positive integers, got ${width}x${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${what} has ${rgba.length} RGBA bytes, expected ${width}x${height}x4 = ${width * height * 4}`);
  }
}

/** An 8-bit gray image as opaque RGBA (each level v -> (v, v, v, 255)), no rescaling. */
export function grayToRgba(image: Image2D<Uint8Array>): RgbaImage {
  const { width, height, data } = image;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}
