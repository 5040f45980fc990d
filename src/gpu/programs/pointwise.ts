/**
 * Program `pointwise` (shaders/pointwise.wgsl): threshold masks, the 0..255 normalisation of
 * magnitudes, and the per-axis factors of fourier_gaussian.
 */
import { linearGrid, type Recording } from '../recording.js';

/**
 * The largest float32 at or below `t`: for every float32 x, `x > float32AtOrBelow(t)` is exactly
 * the float64 comparison `x > t` (no float32 lies strictly between the two), so masks equal the CPU
 * engine's bit for bit. Rounding down rather than up keeps a threshold of 0 at 0 instead of a
 * subnormal, which GPUs may flush to zero.
 */
export function float32AtOrBelow(t: number): number {
  const f = Math.fround(t);
  if (f <= t) return f;
  // Math.fround rounded up: step one float32 down (towards -inf).
  const bits = new Float32Array([f]);
  const u = new Uint32Array(bits.buffer);
  if (f === 0) u[0] = 0x80000001; // just below zero: the negative subnormal of least magnitude
  else if (f > 0) u[0] -= 1;
  else u[0] += 1;
  return bits[0];
}

function params(rec: Recording, count: number, width: number, threshold: number, what: string): GPUBuffer {
  const data = new ArrayBuffer(16);
  new Uint32Array(data, 0, 2).set([count, width]);
  new Float32Array(data, 8, 1)[0] = threshold;
  return rec.uniform(data, `${what} params`);
}

/** `where(x > threshold, x, 0)`, or `where(x > threshold, 1, 0)` when `binary`. */
export function recordThreshold(
  rec: Recording, src: GPUBuffer, dst: GPUBuffer, count: number, threshold: number, binary: boolean, what: string,
): void {
  const uniform = params(rec, count, 1, float32AtOrBelow(threshold), what);
  rec.dispatch('pointwise', binary ? 'threshold_binary' : 'threshold_mask', [uniform, src, dst],
    linearGrid(count, rec.maxWorkgroupsPerDimension), what);
}

/** `x * (255 / max)` with `max` read from a correlate pass's max reduction; zeros when max is 0. */
export function recordNormalise(rec: Recording, src: GPUBuffer, max: GPUBuffer, dst: GPUBuffer, count: number, what: string): void {
  const uniform = params(rec, count, 1, 0, what);
  rec.dispatch('pointwise', 'normalise', [uniform, src, dst, max], linearGrid(count, rec.maxWorkgroupsPerDimension), what);
}

/**
 * Multiplies each pixel by `rowFactors[y] * columnFactors[x]` (float64 tables from the CPU
 * engine's fourierGaussianFactors, converted to float32; null = factor 1 for an axis of length 1).
 */
export function recordFourierScale(
  rec: Recording, src: GPUBuffer, dst: GPUBuffer, width: number, height: number,
  rowFactors: Float64Array | null, columnFactors: Float64Array | null, what: string,
): void {
  const factors = new Float32Array(height + width).fill(1);
  if (rowFactors) factors.set(rowFactors, 0);
  if (columnFactors) factors.set(columnFactors, height);
  const table = rec.upload(factors, `${what} factors`);
  const count = width * height;
  const uniform = params(rec, count, width, 0, what);
  rec.dispatch('pointwise', 'fourier_scale', [uniform, src, dst, undefined, table], linearGrid(count, rec.maxWorkgroupsPerDimension), what);
}
