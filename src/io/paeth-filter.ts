/**
 * PNG's Paeth filter (spec 9.4) for 8-bit gray and RGBA images, the encoder's costliest step after
 * deflate: in WebAssembly SIMD (src/wasm/paeth-filter.wat, about 10x faster) where it exists, else
 * scalar.
 */
import { PAETH_FILTER_WASM } from '../wasm/paeth-filter.generated.js';
import { kernelLoader } from '../wasm/kernel.js';
import { paethPredictor } from '../codecs/paeth.js';

/** PNG's filter type byte for Paeth. */
const PAETH = 4;

const paethKernel = kernelLoader<{ paeth_filter(data: number, rowBytes: number, height: number, bpp: number, out: number): void }>(PAETH_FILTER_WASM);

/**
 * Every row of an 8-bit image of `bpp` bytes per pixel (1 gray, 4 RGBA) Paeth-filtered, each
 * preceded by its filter type byte: (1 + width * bpp) * height bytes.
 */
export function paethFilter(data: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const rowBytes = width * bpp;
  // Memory: a row of zeros (row 0's row above, as the spec has it), the image, the filtered rows.
  const dataAt = rowBytes;
  const outAt = dataAt + data.length;
  const outLength = (rowBytes + 1) * height;
  const kernel = paethKernel();
  if (!kernel || !kernel.reserve(outAt + outLength)) return paethFilterScalar(data, width, height, bpp);
  kernel.u8.fill(0, 0, rowBytes);
  kernel.u8.set(data, dataAt);
  kernel.exports.paeth_filter(dataAt, rowBytes, height, bpp, outAt);
  return kernel.u8.slice(outAt, outAt + outLength);
}

/**
 * The scalar filter (the predictor: ../codecs/paeth.ts). Out of the image
 * (the row above row 0, the pixel left of column 0) samples are 0: there Paeth predicts a on the
 * first row (b = c = 0) and b in the first column (a = c = 0).
 */
export function paethFilterScalar(data: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const rowBytes = width * bpp;
  const stride = rowBytes + 1;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const o = y * stride + 1;
    const row = y * rowBytes;
    const above = row - rowBytes;
    out[o - 1] = PAETH;
    const first = Math.min(bpp, rowBytes);
    if (y === 0) {
      // No row above (b = c = 0): Paeth predicts a, and 0 for the first pixel.
      for (let x = 0; x < first; x++) out[o + x] = data[row + x];
      for (let x = first; x < rowBytes; x++) out[o + x] = data[row + x] - data[row + x - bpp];
      continue;
    }
    // The first pixel (a = c = 0): Paeth predicts b.
    for (let x = 0; x < first; x++) out[o + x] = data[row + x] - data[above + x];
    for (let x = first; x < rowBytes; x++) {
      const a = data[row + x - bpp];
      const b = data[above + x];
      const c = data[above + x - bpp];
      out[o + x] = data[row + x] - paethPredictor(a, b, c);
    }
  }
  return out;
}


