/**
 * correlate1d's two passes with the kernel loop in WebAssembly SIMD (src/wasm/correlate-span.wat), for
 * symmetric and antisymmetric kernels. The image stays in JavaScript memory: each pass streams it
 * through the kernel's memory a row at a time (a padded line for rows; a ring of the kernel's
 * n padded rows for columns), so the kernel's memory holds a few rows whatever the image height.
 * `sources` maps each padded position to its source index (-1 = cval), as NI_ExtendLine extends.
 * Each pass returns false, having done nothing, when the kernel's memory cannot grow to its needs.
 */
import { CORRELATE_SPAN_WASM } from '../wasm/correlate-span.generated.js';
import { type WasmKernel, kernelLoader } from '../wasm/kernel.js';

interface CorrelateSpanExports {
  /**
   * `length` outputs at byte address `out`: output i is the correlation of the f64 samples at
   * taps[k] + 8 i (taps: 2 half + 1 i32 byte addresses at `taps`) with the f64 weights at `weights`,
   * whose kernel is symmetric (sign 1) or antisymmetric (sign -1).
   */
  correlate_span(taps: number, weights: number, half: number, sign: number, length: number, out: number): void;
}

type SpanKernel = WasmKernel<CorrelateSpanExports>;

/** This thread's correlate_span kernel, or undefined where WebAssembly SIMD is missing or switched off. */
export const correlateSpanKernel = kernelLoader<CorrelateSpanExports>(CORRELATE_SPAN_WASM);

/** What both passes take: the image, the kernel and its symmetry sign, the line extension. */
export interface SimdPass {
  input: Float64Array;
  width: number;
  height: number;
  /** Odd length: (anti)symmetric kernels always are. */
  weights: Float64Array;
  sign: 1 | -1;
  sources: Int32Array;
  cval: number;
  output: Float64Array;
}

/**
 * The kernel memory's layout common to both passes: n i32 taps at byte 0, then the n f64 weights
 * (8-byte aligned) at `weightsAt`, then the pass's own regions from `freeAt`.
 */
function weightsLayout(weights: Float64Array): { weightsAt: number; freeAt: number } {
  const weightsAt = 8 * Math.ceil(weights.length / 2); // after n i32 taps, 8-byte aligned
  return { weightsAt, freeAt: weightsAt + 8 * weights.length };
}

/** The first address from `from` on that lies at the same offset within a 4 KiB page as `like`. */
function offsetWithinPage(from: number, like: number): number {
  return from + ((((like - from) % 4096) + 4096) % 4096);
}

/** Axis 1: each row, extended into a padded line, correlated into an output row copied out. */
export function correlateRowsSimd(kernel: SpanKernel, pass: SimdPass): boolean {
  const { input, width, height, weights, sign, sources, cval, output } = pass;
  const n = weights.length;
  const half = (n - 1) / 2;
  const { weightsAt, freeAt: lineAt } = weightsLayout(weights);
  const rowAt = offsetWithinPage(lineAt + 8 * (width + n - 1), lineAt + 2048); // see correlateColumnsSimd
  if (!kernel.reserve(rowAt + 8 * width)) return false;
  const { f64, i32 } = kernel;
  f64.set(weights, weightsAt / 8);
  // Output i's tap k is line[i + k].
  for (let k = 0; k < n; k++) i32[k] = lineAt + 8 * k;
  const line = lineAt / 8;
  const row = rowAt / 8;
  for (let y = 0; y < height; y++) {
    const start = y * width;
    f64.set(input.subarray(start, start + width), line + half);
    for (let p = 0; p < half; p++) f64[line + p] = sources[p] < 0 ? cval : input[start + sources[p]];
    for (let p = half + width; p < sources.length; p++) f64[line + p] = sources[p] < 0 ? cval : input[start + sources[p]];
    kernel.exports.correlate_span(0, weightsAt, half, sign, width, rowAt);
    output.set(f64.subarray(row, row + width), start);
  }
  return true;
}

/**
 * Axis 0: output row y reads padded rows y .. y + n - 1. Those live in a ring of n row slots, each
 * padded row copied in once; rows of cval (constant mode) all point at one row of cval instead.
 */
export function correlateColumnsSimd(kernel: SpanKernel, pass: SimdPass): boolean {
  const { input, width, height, weights, sign, sources, cval, output } = pass;
  const n = weights.length;
  const half = (n - 1) / 2;
  const { weightsAt, freeAt: ringAt } = weightsLayout(weights);
  const rowBytes = 8 * width;
  // Slots a cache line apart beyond their length, and the output row half a page off the ring:
  // addresses 4 KiB apart share L1 sets and stall loads behind stores, which cost a third here.
  const slotBytes = rowBytes + 64;
  const cvalAt = ringAt + n * slotBytes;
  const rowAt = offsetWithinPage(cvalAt + rowBytes, ringAt + 2048);
  if (!kernel.reserve(rowAt + rowBytes)) return false;
  const { f64, i32 } = kernel;
  f64.set(weights, weightsAt / 8);
  f64.fill(cval, cvalAt / 8, cvalAt / 8 + width);
  const slotAddress = new Int32Array(n);
  const load = (p: number): void => {
    const slot = p % n;
    const source = sources[p];
    if (source < 0) {
      slotAddress[slot] = cvalAt;
      return;
    }
    const at = ringAt + slot * slotBytes;
    f64.set(input.subarray(source * width, source * width + width), at / 8);
    slotAddress[slot] = at;
  };
  for (let p = 0; p < n - 1; p++) load(p);
  const row = rowAt / 8;
  for (let y = 0; y < height; y++) {
    load(y + n - 1);
    for (let k = 0; k < n; k++) i32[k] = slotAddress[(y + k) % n];
    kernel.exports.correlate_span(0, weightsAt, half, sign, width, rowAt);
    output.set(f64.subarray(row, row + width), y * width);
  }
  return true;
}
