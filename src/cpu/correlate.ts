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
  if (input.length !== width * height) {
    throw new RangeError(`correlate1d input has ${input.length} values, expected ${width}x${height} = ${width * height}`);
  }
  if (weights.length < 1) throw new RangeError('correlate1d weights must hold at least one value, got none');
  const out = output ?? new Float64Array(input.length);
  if (out.length !== input.length) throw new RangeError(`correlate1d output has ${out.length} values, expected ${input.length}`);
  if (out.buffer === input.buffer && out.byteOffset === input.byteOffset) {
    throw new RangeError('correlate1d output must not be the input array (pass a separate buffer)');
  }
  const w = Float64Array.from(weights);
  if (axis === 1) correlateRows(input, width, height, w, mode, cval, out);
  else correlateColumns(input, width, height, w, mode, cval, out);
  return out;
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

/** Axis 1: each row is a line; copy it into a padded buffer, then run the tight kernel loop. */
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
  const size2 = w.length - size1 - 1; // taps after it
  const sources = extensionSources(width, size1, size2, mode);
  const line = new Float64Array(sources.length);
  const symmetry = classifyKernel(w);
  for (let y = 0; y < height; y++) {
    const rowStart = y * width;
    // Only the extension needs the index map; the interior is a straight copy.
    line.set(input.subarray(rowStart, rowStart + width), size1);
    for (let p = 0; p < size1; p++) line[p] = sources[p] < 0 ? cval : input[rowStart + sources[p]];
    for (let p = size1 + width; p < sources.length; p++) line[p] = sources[p] < 0 ? cval : input[rowStart + sources[p]];
    correlateLine(line, size1, width, w, size1, size2, symmetry, out, rowStart);
  }
}

/** The kernel loop over one padded line; `centre0` is the index in `line` of the first output's centre. */
function correlateLine(
  line: Float64Array,
  centre0: number,
  length: number,
  w: Float64Array,
  size1: number,
  size2: number,
  symmetry: Symmetry,
  out: Float64Array,
  outStart: number,
): void {
  const w0 = w[size1];
  if (symmetry === 'symmetric') {
    for (let i = 0; i < length; i++) {
      const c = centre0 + i;
      let acc = line[c] * w0;
      for (let j = -size1; j < 0; j++) acc += (line[c + j] + line[c - j]) * w[size1 + j];
      out[outStart + i] = acc;
    }
  } else if (symmetry === 'antisymmetric') {
    for (let i = 0; i < length; i++) {
      const c = centre0 + i;
      let acc = line[c] * w0;
      for (let j = -size1; j < 0; j++) acc += (line[c + j] - line[c - j]) * w[size1 + j];
      out[outStart + i] = acc;
    }
  } else {
    const wLast = w[size1 + size2];
    for (let i = 0; i < length; i++) {
      const c = centre0 + i;
      let acc = line[c + size2] * wLast;
      for (let j = -size1; j < size2; j++) acc += line[c + j] * w[size1 + j];
      out[outStart + i] = acc;
    }
  }
}

/**
 * Axis 0: lines are columns. Rather than gathering strided columns, accumulate whole rows
 * (contiguous memory) in the same per-pixel order of operations as the column loop would use.
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
  // Rows outside the image in constant mode read from one row of cval; the others from the input.
  const cvalRow = new Float64Array(width).fill(cval);
  const rowArray: Float64Array[] = [];
  const rowOffset = new Int32Array(sources.length);
  for (let p = 0; p < sources.length; p++) {
    rowArray.push(sources[p] < 0 ? cvalRow : input);
    rowOffset[p] = sources[p] < 0 ? 0 : sources[p] * width;
  }
  const symmetry = classifyKernel(w);
  const w0 = w[size1];
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const centre = y + size1; // padded position of row y
    if (symmetry === 'general') {
      scaleRow(out, o, rowArray[centre + size2], rowOffset[centre + size2], w[size1 + size2], width);
      for (let j = -size1; j < size2; j++) {
        addScaledRow(out, o, rowArray[centre + j], rowOffset[centre + j], w[size1 + j], width);
      }
    } else {
      scaleRow(out, o, input, o, w0, width);
      const sign = symmetry === 'symmetric' ? 1 : -1;
      for (let j = -size1; j < 0; j++) {
        const a = centre + j;
        const b = centre - j;
        addPairRow(out, o, rowArray[a], rowOffset[a], rowArray[b], rowOffset[b], sign, w[size1 + j], width);
      }
    }
  }
}

function scaleRow(out: Float64Array, o: number, src: Float64Array, s: number, weight: number, width: number): void {
  for (let x = 0; x < width; x++) out[o + x] = src[s + x] * weight;
}

function addScaledRow(out: Float64Array, o: number, src: Float64Array, s: number, weight: number, width: number): void {
  for (let x = 0; x < width; x++) out[o + x] += src[s + x] * weight;
}

/** out += (a + b) * weight (sign 1) or (a - b) * weight (sign -1), row-wise. */
function addPairRow(
  out: Float64Array,
  o: number,
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  sign: 1 | -1,
  weight: number,
  width: number,
): void {
  if (sign === 1) {
    for (let x = 0; x < width; x++) out[o + x] += (a[ao + x] + b[bo + x]) * weight;
  } else {
    for (let x = 0; x < width; x++) out[o + x] += (a[ao + x] - b[bo + x]) * weight;
  }
}
