/** Point-wise steps of the tutorial: hypot, rescaling to 0..255, and threshold masks. */
import { glibcHypot } from './hypot.js';

/** `numpy.hypot(a, b)` element-wise, into `out` (a new array by default): bit for bit, via the glibc port (Math.hypot is slower and differs in the last bit). */
export function hypot(a: Float64Array, b: Float64Array, out: Float64Array = new Float64Array(a.length)): Float64Array {
  if (a.length !== b.length || out.length !== a.length) {
    throw new RangeError(`hypot operands and output differ in length: ${a.length}, ${b.length} and ${out.length}`);
  }
  for (let i = 0; i < a.length; i++) out[i] = glibcHypot(a[i], b[i]);
  return out;
}

/**
 * The tutorial's `x *= 255.0 / np.max(x)`, in place, returning `x`. When the maximum is 0 (a flat
 * image has no edges) NumPy gives 0 * inf = NaN everywhere; this returns zeros instead, the only
 * useful picture of "no edges" (and what the GPU engine does too). A NaN maximum leaves NaN.
 */
export function normaliseTo255(x: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // np.max propagates NaN.
    if (v > max || Number.isNaN(v)) max = v;
    if (Number.isNaN(v)) break;
  }
  if (max === 0) {
    x.fill(0);
    return x;
  }
  const scale = 255.0 / max;
  for (let i = 0; i < x.length; i++) x[i] *= scale;
  return x;
}

/** `numpy.where(x > threshold, x, 0)` as float64, into `out` (a new array by default). */
export function mask(x: ArrayLike<number>, threshold: number, out: Float64Array = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > threshold ? x[i] : 0;
  return out;
}

/** `numpy.where(x > threshold, 1, 0)` as float64, into `out` (a new array by default). */
export function maskBinary(x: ArrayLike<number>, threshold: number, out: Float64Array = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > threshold ? 1 : 0;
  return out;
}
