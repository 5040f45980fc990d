/**
 * Min-max scaling to 8-bit gray levels, `round((v - min) * 255 / (max - min))` over the finite values
 * (NaN and infinities give 0, a constant image all zeros): the rule of every 8-bit PNG output, shared
 * by `scaleToUint8` (src/io) and the batch's fast 8-bit path, which knows min and max from the pass
 * that made the values.
 */

/** The finite minimum and maximum of `data` (Infinity / -Infinity when there is no finite value). */
export function finiteRange(data: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite values, NaN for NaN and infinities: cheaper than Number.isFinite per pixel.
    if (v - v !== 0) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Scales `data` to levels 0..255 given its finite range (see `finiteRange`), into `out` (a new array by default). */
export function scaleToLevels(
  data: ArrayLike<number>,
  range: { min: number; max: number } = finiteRange(data),
  out: Uint8Array = new Uint8Array(data.length),
): Uint8Array {
  if (out.length !== data.length) throw new RangeError(`levels output has ${out.length} values, expected ${data.length}`);
  const { min, max } = range;
  const span = max - min;
  if (!(span > 0)) {
    out.fill(0);
    return out;
  }
  const scale = 255 / span;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v - v === 0 ? roundNonNegative((v - min) * scale) : 0;
  }
  return out;
}

/**
 * `Math.round(x)` for 0 <= x < 2^31, about 3x faster. From 0.5 up, x + 0.5 is exact (0.5 is a multiple
 * of x's ulp, and a carry into the next binade lands on a value whose floor is the same), so truncating
 * it rounds halves up as Math.round does; below 0.5 the sum could round up to 1 (x = 0.5 - 2^-54), hence 0.
 */
function roundNonNegative(x: number): number {
  return x >= 0.5 ? (x + 0.5) | 0 : 0;
}
