/**
 * 8-bit levels of `mask` and `mask-binary` on an integer image without any float plane: each output
 * value is a function of the input level alone, so the output's min and max come from the levels
 * present and the scaling becomes one table lookup per pixel. The arithmetic per value is that of
 * `scaleToLevels` on the reference mask, so the levels are identical to it.
 */
import { roundNonNegative } from './levels.js';

/** `scaleToLevels(mask(x, threshold))` (or of `maskBinary` when `binary`), for 8- and 16-bit pixels. */
export function maskLevels(data: Uint8Array | Uint16Array, threshold: number, binary: boolean): Uint8Array {
  const levelCount = data instanceof Uint8Array ? 256 : 65536;
  const present = new Uint8Array(levelCount);
  for (let i = 0; i < data.length; i++) present[data[i]] = 1;
  // np.where(x > t, x, 0) or np.where(x > t, 1, 0), per level.
  const valueOf = (level: number) => (level > threshold ? (binary ? 1 : level) : 0);
  let min = Infinity;
  let max = -Infinity;
  for (let level = 0; level < levelCount; level++) {
    if (!present[level]) continue;
    const value = valueOf(level);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const table = new Uint8Array(levelCount);
  const span = max - min;
  if (span > 0) {
    const scale = 255 / span;
    for (let level = 0; level < levelCount; level++) table[level] = roundNonNegative((valueOf(level) - min) * scale);
  }
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = table[data[i]];
  return out;
}
