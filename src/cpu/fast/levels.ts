/**
 * Min-max scaling to 8-bit gray levels, `round((v - min) * 255 / (max - min))` over the finite values
 * (NaN and infinities give 0, a constant image all zeros): the rule of every 8-bit PNG output, shared
 * by `scaleToUint8` (src/io) and the batch's fast 8-bit path, which knows min and max from the pass
 * that made the values.
 */

/** The range of the finite values of an image, and how many values are not finite (NaN, infinities). */
export interface FiniteRange {
  /** Infinity when there is no finite value. */
  min: number;
  /** -Infinity when there is no finite value. */
  max: number;
  nonFinite: number;
}

/** The finite minimum and maximum of `data`, and its count of non-finite values. */
export function finiteRange(data: ArrayLike<number>): FiniteRange {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite values, NaN for NaN and infinities: cheaper than Number.isFinite per pixel.
    if (v - v !== 0) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max, nonFinite };
}

/**
 * Scales `data` to levels 0..255 given its range (see `finiteRange`; a caller that found min and max
 * itself must count the non-finite values too), into `out` (a new array by default).
 */
export function scaleToLevels(
  data: ArrayLike<number>,
  range: FiniteRange = finiteRange(data),
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
  if (range.nonFinite === 0) {
    // The common case, without branches: image rows make them unpredictable.
    for (let i = 0; i < data.length; i++) out[i] = roundNonNegative((data[i] - min) * scale);
    return out;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v - v === 0 ? roundNonNegative((v - min) * scale) : 0;
  }
  return out;
}

/** The largest double below 0.5: the one value under 0.5 for which x + 0.5 rounds up to 1. */
const JUST_BELOW_HALF = 0.5 - 2 ** -54;

/**
 * `Math.round(x)` for 0 <= x < 2^31, without a branch. From 0.5 up, x + 0.5 is exact (0.5 is a
 * multiple of x's ulp, and a carry into the next binade lands on a value whose floor is the same), so
 * truncating it rounds halves up as Math.round does. Below 0.5, x + 0.5 < 1 except for x = 0.5 - 2^-54,
 * where the sum rounds (to even) to 1: that one value is taken back.
 */
export function roundNonNegative(x: number): number {
  return ((x + 0.5) | 0) - +(x === JUST_BELOW_HALF);
}
