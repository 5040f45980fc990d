/**
 * PNG's Paeth filter (spec 9.4) for 8-bit gray images, the encoder's costliest step after deflate:
 * in WebAssembly SIMD (src/wasm/paeth-filter.wat, about 10x faster) where it exists, else scalar.
 */
import { PAETH_FILTER_WASM } from '../wasm/paeth-filter.generated.js';
import { kernelLoader } from '../wasm/kernel.js';

/** PNG's filter type byte for Paeth. */
const PAETH = 4;

const paethKernel = kernelLoader<{ paeth_filter(data: number, width: number, height: number, out: number): void }>(PAETH_FILTER_WASM);

/** Every row of `data` Paeth-filtered, each preceded by its filter type byte: (1 + width) * height bytes. */
export function paethFilterGray8(data: Uint8Array, width: number, height: number): Uint8Array {
  // Memory: a row of zeros (row 0's row above, as the spec has it), the image, the filtered rows.
  const dataAt = width;
  const outAt = dataAt + data.length;
  const outLength = (width + 1) * height;
  const kernel = paethKernel();
  if (!kernel || !kernel.reserve(outAt + outLength)) return paethFilterScalar(data, width, height);
  kernel.u8.fill(0, 0, width);
  kernel.u8.set(data, dataAt);
  kernel.exports.paeth_filter(dataAt, width, height, outAt);
  return kernel.u8.slice(outAt, outAt + outLength);
}

/**
 * Every row Paeth-filtered (PNG spec 9.4), each preceded by its filter byte. The predictor is chosen
 * with sign masks instead of branches: X-ray rows make the branches unpredictable, and this runs
 * about 3x faster. On the first row (b = c = 0) Paeth predicts a; in the first column (a = c = 0), b.
 */
export function paethFilterScalar(data: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width + 1;
  const out = new Uint8Array(stride * height);
  out[0] = PAETH;
  out[1] = data[0];
  for (let x = 1; x < width; x++) out[1 + x] = data[x] - data[x - 1];
  for (let y = 1; y < height; y++) {
    const o = y * stride + 1;
    const row = y * width;
    const above = row - width;
    out[o - 1] = PAETH;
    out[o] = data[row] - data[above];
    let a = data[row];
    let c = data[above];
    for (let x = 1; x < width; x++) {
      const b = data[above + x];
      // pa = |p - a| = |b - c|, pb = |p - b| = |a - c|, pc = |p - c| = |a + b - 2c|.
      const da = b - c;
      const db = a - c;
      const dc = da + db;
      const sa = da >> 31;
      const sb = db >> 31;
      const sc = dc >> 31;
      const pa = (da ^ sa) - sa;
      const pb = (db ^ sb) - sb;
      const pc = (dc ^ sc) - sc;
      // -1 where a loses (pa > pb or pa > pc); -1 where c beats b (pb > pc).
      const notA = ((pb - pa) | (pc - pa)) >> 31;
      const cOverB = (pc - pb) >> 31;
      const bOrC = b ^ ((b ^ c) & cOverB);
      const predictor = a ^ ((a ^ bOrC) & notA);
      const value = data[row + x];
      out[o + x] = value - predictor;
      a = value;
      c = b;
    }
  }
  return out;
}

