/**
 * Min-max scaling to 8-bit gray levels, `round((v - min) * 255 / (max - min))` over the finite values
 * (NaN and infinities give 0, a constant image all zeros): the rule of every 8-bit PNG output, shared
 * by `scaleToUint8` (src/io) and the batch's fast 8-bit path, which knows min and max from the pass
 * that made the values. The scaling runs in WebAssembly SIMD (src/wasm/levels.wat) where it exists.
 */
import { LEVELS_WASM } from '../../wasm/levels.generated.js';
import { type WasmKernel, kernelLoader } from '../../wasm/kernel.js';
import { valueRange } from '../../filters/range.js';

/** The kernels of src/wasm/levels.wat (byte addresses in the kernel's memory). */
export interface LevelsExports {
  edge_magnitude_row(above: number, middle: number, below: number, width: number, out: number, s0: number, s1: number, s2: number, range: number): void;
  scale_levels(src: number, count: number, min: number, scale: number, out: number): void;
  u8_range(data: number, count: number, result: number): void;
  lookup_u8(data: number, count: number, table: number, out: number): void;
  f64_range(src: number, count: number, result: number): void;
}

/** This thread's levels kernel, or undefined where WebAssembly SIMD is missing or switched off. */
export const levelsKernel = kernelLoader<LevelsExports>(LEVELS_WASM);

/** Values per chunk when streaming a JavaScript array through the kernel: 64 KiB, which stays in cache. */
const CHUNK = 8192;

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

/** valueRange (../filters/range.ts), for 8-bit images in WebAssembly SIMD where it exists. */
export function pixelRange(data: ArrayLike<number>): { lo: number; hi: number } {
  const kernel = data instanceof Uint8Array ? levelsKernel() : undefined;
  if (kernel && kernel.reserve(16 + data.length)) {
    kernel.u8.set(data, 16);
    kernel.exports.u8_range(16, data.length, 0);
    return { lo: kernel.u8[0], hi: kernel.u8[1] };
  }
  return valueRange(data);
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
  const kernel = range.nonFinite === 0 ? levelsKernel() : undefined;
  if (kernel && data instanceof Float64Array && kernel.reserve(CHUNK * 9)) {
    for (let start = 0; start < data.length; start += CHUNK) {
      const count = Math.min(CHUNK, data.length - start);
      kernel.f64.set(data.subarray(start, start + count), 0);
      kernel.exports.scale_levels(0, count, min, scale, CHUNK * 8);
      out.set(kernel.u8.subarray(CHUNK * 8, CHUNK * 8 + count), start);
    }
    return out;
  }
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

/**
 * The 8-bit levels of `count` finite f64 values already in the kernel's memory at byte `valuesAt`,
 * given their range, into `count` bytes at `levelsAt`; returns a copy of them.
 */
export function scaleToLevelsInKernel(kernel: WasmKernel<LevelsExports>, valuesAt: number, count: number, range: FiniteRange, levelsAt: number): Uint8Array {
  const span = range.max - range.min;
  if (!(span > 0)) return new Uint8Array(count);
  kernel.exports.scale_levels(valuesAt, count, range.min, 255 / span, levelsAt);
  return kernel.u8.slice(levelsAt, levelsAt + count);
}

/**
 * The 8-bit levels of `count` values that `fill` writes into an array in the levels kernel's memory,
 * so the values are never copied in or out (`fill` must not use the levels kernel itself). Undefined
 * where the kernel or its memory is missing; the caller then fills an array of its own.
 */
export function levelsOfFilled(count: number, fill: (values: Float64Array) => void): Uint8Array | undefined {
  const kernel = levelsKernel();
  const valuesAt = 32; // after the range (min, max, non-finite count)
  const levelsAt = valuesAt + 8 * count;
  if (!kernel || !kernel.reserve(levelsAt + count)) return undefined;
  const values = kernel.f64.subarray(valuesAt / 8, valuesAt / 8 + count);
  fill(values);
  kernel.exports.f64_range(valuesAt, count, 0);
  const range: FiniteRange = { min: kernel.f64[0], max: kernel.f64[1], nonFinite: kernel.f64[2] };
  // Non-finite values take the general path (they give level 0 wherever they are).
  return range.nonFinite === 0 ? scaleToLevelsInKernel(kernel, valuesAt, count, range, levelsAt) : scaleToLevels(values, range);
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
