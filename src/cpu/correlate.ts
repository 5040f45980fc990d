/**
 * `correlate1d`, the one primitive every CPU filter is built from: scipy.ndimage.correlate1d with
 * origin 0 on a float64 image, reproducing ndimage/src/ni_filters.c (NI_Correlate1D) exactly,
 * including its order of floating-point operations:
 *
 *   symmetric kernels      out = x[0]*w[0] + sum_{j=-r..-1} (x[j] + x[-j]) * w[j]
 *   antisymmetric kernels  out = x[0]*w[0] + sum_{j=-r..-1} (x[j] - x[-j]) * w[j]
 *   other kernels          out = x[r]*w[r] + sum_{j=-r..r-1} x[j] * w[j]
 *
 * (x centred on the output pixel, w centred on the kernel's middle, terms added left to right).
 * Lines are extended past the image edge as NI_ExtendLine does, which `boundaryIndex` mirrors,
 * so kernels wider than the image behave like SciPy's.
 */
import { type BoundaryMode, boundaryIndex } from '../filters/boundary.js';
import type { Axis } from '../filters/edges.js';
import type { Workspace } from './workspace.js';
import {
  type AxisKernel,
  type CombineRows,
  type SpanKernel,
  correlateBothAxesSimd,
  correlateColumnsSimd,
  correlateRowsSimd,
  correlateSpanKernel,
  correlateTwoTermsSimd,
} from './correlate-simd.js';

export type { CombineRows } from './correlate-simd.js';

/** How NI_Correlate1D classifies a kernel: within DBL_EPSILON of (anti)symmetric, or neither. */
type Symmetry = 'symmetric' | 'antisymmetric' | 'general';

function classifyKernel(weights: Float64Array): Symmetry {
  const n = weights.length;
  if (n % 2 === 0) return 'general';
  const c = (n - 1) / 2;
  let symmetric = true;
  for (let k = 1; k <= c && symmetric; k++) symmetric = Math.abs(weights[c + k] - weights[c - k]) <= Number.EPSILON;
  if (symmetric) return 'symmetric';
  for (let k = 1; k <= c; k++) if (Math.abs(weights[c + k] + weights[c - k]) > Number.EPSILON) return 'general';
  return 'antisymmetric';
}

/**
 * Correlates a row-major `width` x `height` float64 image with 1-D `weights` along `axis`
 * (0: down the columns, i.e. along y; 1: along each row, x), like
 * `scipy.ndimage.correlate1d(input, weights, axis, output, mode, cval, origin=0)`.
 * The kernel's centre is element `floor(length / 2)`. `output` (allocated when omitted) must not
 * be `input`: SciPy reads whole lines before writing, this implementation streams rows.
 */
export function correlate1d(
  input: Float64Array,
  width: number,
  height: number,
  weights: ArrayLike<number>,
  axis: Axis,
  mode: BoundaryMode,
  cval = 0,
  output?: Float64Array,
): Float64Array {
  const out = checkedOutput('correlate1d', input, width, height, output);
  const w = checkedWeights('correlate1d', weights);
  const simd = simdKernels(mode, [[w, axis === 1 ? width : height]]);
  if (simd) {
    const images = { input, output: out, width, height, cval };
    const [kernel] = simd.kernels;
    if (axis === 1 ? correlateRowsSimd(simd.memory, images, kernel) : correlateColumnsSimd(simd.memory, images, kernel)) return out;
  }
  if (axis === 1) correlateRows(input, width, height, w, mode, cval, out);
  else correlateColumns(input, width, height, w, mode, cval, out);
  return out;
}

/**
 * `correlate1d` along axis 0 with `weights0`, then along axis 1 with `weights1`, as SciPy's separable
 * filters (gaussian_filter and its derivatives) chain them; the same result as the two calls. With
 * WebAssembly SIMD the intermediate image stays in the kernel's memory a row at a time; otherwise it
 * is a buffer from `workspace`.
 */
export function correlateBothAxes(
  input: Float64Array,
  width: number,
  height: number,
  weights0: ArrayLike<number>,
  weights1: ArrayLike<number>,
  mode: BoundaryMode,
  cval: number,
  output: Float64Array,
  workspace: Workspace,
): Float64Array {
  const out = checkedOutput('correlateBothAxes', input, width, height, output);
  const w0 = checkedWeights('correlateBothAxes', weights0);
  const w1 = checkedWeights('correlateBothAxes', weights1);
  const simd = simdKernels(mode, [[w0, height], [w1, width]]);
  if (simd) {
    const [down, across] = simd.kernels;
    if (correlateBothAxesSimd(simd.memory, { input, output: out, width, height, cval }, down, across)) return out;
  }
  const along0 = correlate1d(input, width, height, w0, 0, mode, cval, workspace.acquire(input.length));
  correlate1d(along0, width, height, w1, 1, mode, cval, out);
  workspace.release(along0);
  return out;
}

/**
 * Two `correlateBothAxes` results, [down, across] weights each, combined pixel by pixel by `combine`
 * into `output`, as SciPy's gaussian_laplace and gaussian_gradient_magnitude combine their two
 * terms; the same result as computing both terms and combining them. With WebAssembly SIMD neither
 * term's image is ever written out (one row of each at a time); otherwise the second term is a
 * buffer from `workspace`.
 */
export function correlateTwoTerms(
  input: Float64Array,
  width: number,
  height: number,
  first: readonly [ArrayLike<number>, ArrayLike<number>],
  second: readonly [ArrayLike<number>, ArrayLike<number>],
  mode: BoundaryMode,
  cval: number,
  combine: CombineRows,
  output: Float64Array,
  workspace: Workspace,
): Float64Array {
  const out = checkedOutput('correlateTwoTerms', input, width, height, output);
  const [down1, across1, down2, across2] = [...first, ...second].map((w) => checkedWeights('correlateTwoTerms', w));
  const simd = simdKernels(mode, [[down1, height], [across1, width], [down2, height], [across2, width]]);
  if (simd) {
    const [d1, a1, d2, a2] = simd.kernels;
    const images = { input, output: out, width, height, cval };
    if (correlateTwoTermsSimd(simd.memory, images, { down: d1, across: a1 }, { down: d2, across: a2 }, combine)) return out;
  }
  correlateBothAxes(input, width, height, down1, across1, mode, cval, out, workspace);
  const secondTerm = correlateBothAxes(input, width, height, down2, across2, mode, cval, workspace.acquire(input.length), workspace);
  combine(out, 0, secondTerm, 0, out, 0, out.length);
  workspace.release(secondTerm);
  return out;
}

/** `output` (allocated when omitted) after checking it and `input` against width x height. */
function checkedOutput(caller: string, input: Float64Array, width: number, height: number, output: Float64Array | undefined): Float64Array {
  if (input.length !== width * height) {
    throw new RangeError(`${caller} input has ${input.length} values, expected ${width}x${height} = ${width * height}`);
  }
  const out = output ?? new Float64Array(input.length);
  if (out.length !== input.length) throw new RangeError(`${caller} output has ${out.length} values, expected ${input.length}`);
  if (out.buffer === input.buffer && out.byteOffset === input.byteOffset) {
    throw new RangeError(`${caller} output must not be the input array (pass a separate buffer)`);
  }
  return out;
}

function checkedWeights(caller: string, weights: ArrayLike<number>): Float64Array {
  if (weights.length < 1) throw new RangeError(`${caller} weights must hold at least one value, got none`);
  return Float64Array.from(weights);
}

/**
 * The WebAssembly SIMD kernel and, for each [weights, line length], the kernel as the SIMD passes
 * take it; undefined where SIMD is unavailable or a kernel is neither symmetric nor antisymmetric
 * (every Gaussian and edge filter's is), and the scalar loops run instead.
 */
function simdKernels(mode: BoundaryMode, lines: readonly (readonly [Float64Array, number])[]): { memory: SpanKernel; kernels: AxisKernel[] } | undefined {
  const symmetries = lines.map(([w]) => classifyKernel(w));
  if (symmetries.includes('general')) return undefined;
  const memory = correlateSpanKernel();
  if (!memory) return undefined;
  const kernels = lines.map(([w, n], i): AxisKernel => {
    const half = (w.length - 1) / 2;
    return { weights: w, sign: symmetries[i] === 'symmetric' ? 1 : -1, sources: extensionSources(n, half, half, mode) };
  });
  return { memory, kernels };
}

/**
 * For a line of length n extended by `before` and `after` samples, the source index of each
 * padded position (`-1` = cval), as NI_ExtendLine fills it.
 */
function extensionSources(n: number, before: number, after: number, mode: BoundaryMode): Int32Array {
  const sources = new Int32Array(before + n + after);
  // NI_ExtendLine treats a one-sample line in mirror mode as nearest; boundaryIndex agrees (n = 1 -> 0).
  for (let p = 0; p < sources.length; p++) sources[p] = boundaryIndex(p - before, n, mode);
  return sources;
}

/** Axis 1: each row is a line; copy it into a padded buffer, then run the kernel along it. */
function correlateRows(
  input: Float64Array,
  width: number,
  height: number,
  w: Float64Array,
  mode: BoundaryMode,
  cval: number,
  out: Float64Array,
): void {
  const size1 = (w.length / 2) | 0; // taps before the centre
  const sources = extensionSources(width, size1, w.length - size1 - 1, mode);
  const line = new Float64Array(sources.length);
  // Output i reads line[i + k] for tap k.
  const taps = Int32Array.from(w, (_, k) => k);
  const symmetry = classifyKernel(w);
  for (let y = 0; y < height; y++) {
    const rowStart = y * width;
    // Only the extension needs the index map; the interior is a straight copy.
    line.set(input.subarray(rowStart, rowStart + width), size1);
    for (let p = 0; p < size1; p++) line[p] = sources[p] < 0 ? cval : input[rowStart + sources[p]];
    for (let p = size1 + width; p < sources.length; p++) line[p] = sources[p] < 0 ? cval : input[rowStart + sources[p]];
    correlateSpan(line, taps, w, symmetry, width, out, rowStart);
  }
}

/**
 * Axis 0: lines are columns. Rather than gathering strided columns, each output row is computed
 * from whole input rows (contiguous memory), with the column loop's order of operations per pixel.
 */
function correlateColumns(
  input: Float64Array,
  width: number,
  height: number,
  w: Float64Array,
  mode: BoundaryMode,
  cval: number,
  out: Float64Array,
): void {
  const size1 = (w.length / 2) | 0;
  const size2 = w.length - size1 - 1;
  const sources = extensionSources(height, size1, size2, mode);
  // Constant mode reads rows of cval past the edges: a padded copy (size1 cval rows, the image,
  // size2 cval rows) gives them a place, and padded row p is then simply row p of the copy.
  let source = input;
  let paddedRowOffset: Int32Array;
  if (mode === 'constant') {
    source = new Float64Array(sources.length * width).fill(cval);
    source.set(input, size1 * width);
    paddedRowOffset = Int32Array.from(sources, (_, p) => p * width);
  } else {
    paddedRowOffset = Int32Array.from(sources, (row) => row * width);
  }
  const symmetry = classifyKernel(w);
  const taps = new Int32Array(w.length);
  for (let y = 0; y < height; y++) {
    // Output row y's tap k reads padded row y + k, i.e. input row y + k - size1 extended.
    for (let k = 0; k < w.length; k++) taps[k] = paddedRowOffset[y + k];
    correlateSpan(source, taps, w, symmetry, width, out, y * width);
  }
}

/**
 * The kernel loop, for `length` consecutive outputs: output i is the correlation of the samples
 * `src[taps[k] + i]` (k = 0 .. len-1) with `w`, in NI_Correlate1D's order of operations. Four
 * outputs per iteration share each weight load, which roughly halves the time in V8.
 */
function correlateSpan(
  src: Float64Array,
  taps: Int32Array,
  w: Float64Array,
  symmetry: Symmetry,
  length: number,
  out: Float64Array,
  outStart: number,
): void {
  const n = w.length;
  const size1 = (n / 2) | 0;
  const size2 = n - size1 - 1;
  let i = 0;
  if (symmetry === 'general') {
    const last = taps[size1 + size2];
    const wLast = w[size1 + size2];
    for (; i + 4 <= length; i += 4) {
      const l = last + i;
      let a0 = src[l] * wLast;
      let a1 = src[l + 1] * wLast;
      let a2 = src[l + 2] * wLast;
      let a3 = src[l + 3] * wLast;
      for (let k = 0; k < n - 1; k++) {
        const p = taps[k] + i;
        const wk = w[k];
        a0 += src[p] * wk;
        a1 += src[p + 1] * wk;
        a2 += src[p + 2] * wk;
        a3 += src[p + 3] * wk;
      }
      out[outStart + i] = a0;
      out[outStart + i + 1] = a1;
      out[outStart + i + 2] = a2;
      out[outStart + i + 3] = a3;
    }
    for (; i < length; i++) {
      let acc = src[last + i] * wLast;
      for (let k = 0; k < n - 1; k++) acc += src[taps[k] + i] * w[k];
      out[outStart + i] = acc;
    }
    return;
  }
  // (Anti)symmetric: acc = x[0] w[0], then pairs from the outermost in: (x[-j] +/- x[j]) w[-j].
  const centre = taps[size1];
  const w0 = w[size1];
  const sign = symmetry === 'symmetric' ? 1 : -1;
  for (; i + 4 <= length; i += 4) {
    const c = centre + i;
    let a0 = src[c] * w0;
    let a1 = src[c + 1] * w0;
    let a2 = src[c + 2] * w0;
    let a3 = src[c + 3] * w0;
    if (sign === 1) {
      for (let k = 0; k < size1; k++) {
        const p = taps[k] + i;
        const q = taps[n - 1 - k] + i;
        const wk = w[k];
        a0 += (src[p] + src[q]) * wk;
        a1 += (src[p + 1] + src[q + 1]) * wk;
        a2 += (src[p + 2] + src[q + 2]) * wk;
        a3 += (src[p + 3] + src[q + 3]) * wk;
      }
    } else {
      for (let k = 0; k < size1; k++) {
        const p = taps[k] + i;
        const q = taps[n - 1 - k] + i;
        const wk = w[k];
        a0 += (src[p] - src[q]) * wk;
        a1 += (src[p + 1] - src[q + 1]) * wk;
        a2 += (src[p + 2] - src[q + 2]) * wk;
        a3 += (src[p + 3] - src[q + 3]) * wk;
      }
    }
    out[outStart + i] = a0;
    out[outStart + i + 1] = a1;
    out[outStart + i + 2] = a2;
    out[outStart + i + 3] = a3;
  }
  for (; i < length; i++) {
    let acc = src[centre + i] * w0;
    for (let k = 0; k < size1; k++) {
      const p = src[taps[k] + i];
      const q = src[taps[n - 1 - k] + i];
      acc += (sign === 1 ? p + q : p - q) * w[k];
    }
    out[outStart + i] = acc;
  }
}
