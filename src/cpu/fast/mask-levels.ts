/**
 * 8-bit levels of `mask` and `mask-binary` on an integer image without any float plane: each output
 * value is a function of the input level alone, so the output's min and max come from the levels
 * present and the scaling becomes one table lookup per pixel. The arithmetic per value is that of
 * `scaleToLevels` on the reference mask, so the levels are identical to it. For 8-bit images the
 * range and the lookup run in WebAssembly SIMD (src/wasm/levels.wat) where it exists.
 */
import { valueRange } from '../../filters/range.js';
import { levelsKernel, roundNonNegative } from './levels.js';

/** `scaleToLevels(mask(x, threshold))` (or of `maskBinary` when `binary`), for 8- and 16-bit pixels. */
export function maskLevels(data: Uint8Array | Uint16Array, threshold: number, binary: boolean): Uint8Array {
  // np.where(x > t, x, 0) or np.where(x > t, 1, 0), per level. Levels are >= 0, so this never
  // decreases with the level: the mask's min and max are its values at the image's min and max.
  const valueOf = (level: number) => (level > threshold ? (binary ? 1 : level) : 0);
  if (data instanceof Uint8Array) {
    // Memory: the range (2 bytes), the table (256), the image, the levels.
    const tableAt = 16;
    const dataAt = tableAt + 256;
    const outAt = dataAt + data.length;
    const kernel = levelsKernel();
    if (kernel && kernel.reserve(outAt + data.length)) {
      kernel.u8.set(data, dataAt);
      kernel.exports.u8_range(dataAt, data.length, 0);
      kernel.u8.set(levelTable(256, valueOf, valueOf(kernel.u8[0]), valueOf(kernel.u8[1])), tableAt);
      kernel.exports.lookup_u8(dataAt, data.length, tableAt, outAt);
      return kernel.u8.slice(outAt, outAt + data.length);
    }
  }
  const { lo, hi } = valueRange(data);
  const table = levelTable(data instanceof Uint8Array ? 256 : 65536, valueOf, valueOf(lo), valueOf(hi));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]];
  return out;
}

/** The 8-bit level of each input level's mask value, scaled from [min, max] (all zeros when min = max). */
function levelTable(levelCount: number, valueOf: (level: number) => number, min: number, max: number): Uint8Array {
  const table = new Uint8Array(levelCount);
  const span = max - min;
  if (span > 0) {
    const scale = 255 / span;
    for (let level = 0; level < levelCount; level++) table[level] = roundNonNegative((valueOf(level) - min) * scale);
  }
  return table;
}
