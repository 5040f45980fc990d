/**
 * correlate1d's passes with the kernel loop in WebAssembly SIMD (src/wasm/correlate-span.wat), for
 * symmetric and antisymmetric kernels. The image stays in JavaScript memory: each pass streams it
 * through the kernel's memory a row at a time (a padded line for rows; a ring of the kernel's
 * n padded rows for columns), so the kernel's memory holds a few rows whatever the image height.
 * `correlateBothAxesSimd` chains a column pass and a row pass per row, so the intermediate image
 * (SciPy's output of the first pass) never leaves the kernel's memory.
 * Each function returns false, having done nothing, when the kernel's memory cannot grow to its needs.
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

/** The correlate_span kernel with its memory. */
export type SpanKernel = WasmKernel<CorrelateSpanExports>;

/** This thread's correlate_span kernel, or undefined where WebAssembly SIMD is missing or switched off. */
export const correlateSpanKernel = kernelLoader<CorrelateSpanExports>(CORRELATE_SPAN_WASM);

/** A 1-D kernel along one axis: (anti)symmetric weights of odd length and the line extension. */
export interface AxisKernel {
  weights: Float64Array;
  /** 1 for a symmetric kernel, -1 for an antisymmetric one. */
  sign: 1 | -1;
  /** For each padded position along the axis, its source index (-1 = cval), as NI_ExtendLine extends. */
  sources: Int32Array;
}

/** The image a pass reads and the image it writes, both row-major width x height. */
export interface SimdImages {
  input: Float64Array;
  output: Float64Array;
  width: number;
  height: number;
  cval: number;
}

/** Hands out byte ranges of the kernel's memory one after another. */
class MemoryPlan {
  end = 0;

  /** `bytes` bytes, 8-byte aligned, or placed at the offset within a 4 KiB page that `pageLike` has. */
  take(bytes: number, pageLike?: number): number {
    let at = Math.ceil(this.end / 8) * 8;
    // Addresses 4 KiB apart share L1 cache sets and stall loads behind stores (a third of a pass's
    // time here): rows that are read and written together go to different offsets within a page.
    if (pageLike !== undefined) at += (((pageLike - at) % 4096) + 4096) % 4096;
    this.end = at + bytes;
    return at;
  }
}

/** A kernel's taps (byte addresses, rewritten per row where they move) and weights in the memory. */
class Taps {
  readonly at: number;
  readonly weightsAt: number;
  readonly half: number;

  constructor(
    plan: MemoryPlan,
    readonly kernel: AxisKernel,
  ) {
    this.half = (kernel.weights.length - 1) / 2;
    this.at = plan.take(4 * kernel.weights.length);
    this.weightsAt = plan.take(8 * kernel.weights.length);
  }

  writeWeights(memory: SpanKernel): void {
    memory.f64.set(this.kernel.weights, this.weightsAt / 8);
  }

  /** `length` outputs at `outAt` from the samples the taps point at. */
  run(memory: SpanKernel, length: number, outAt: number): void {
    memory.exports.correlate_span(this.at, this.weightsAt, this.half, this.kernel.sign, length, outAt);
  }
}

/** Axis 1 on one row at a time: a padded line whose interior holds the row; taps fixed on it. */
class RowStage {
  readonly taps: Taps;
  readonly lineAt: number;

  constructor(
    plan: MemoryPlan,
    kernel: AxisKernel,
    private readonly width: number,
    private readonly cval: number,
    pageLike: number,
  ) {
    this.taps = new Taps(plan, kernel);
    this.lineAt = plan.take(8 * kernel.sources.length, pageLike);
  }

  /** Byte address where the row to correlate goes (the line's interior). */
  get rowAt(): number {
    return this.lineAt + 8 * this.taps.half;
  }

  prepare(memory: SpanKernel): void {
    this.taps.writeWeights(memory);
    // Output i's tap k is line[i + k].
    for (let k = 0; k < this.taps.kernel.weights.length; k++) memory.i32[this.taps.at / 4 + k] = this.lineAt + 8 * k;
  }

  /** Extends the row at `rowAt` into the line's margins and correlates it into `outAt`. */
  run(memory: SpanKernel, outAt: number): void {
    const { f64 } = memory;
    const { sources } = this.taps.kernel;
    const { half } = this.taps;
    const line = this.lineAt / 8;
    const row = line + half;
    for (let p = 0; p < half; p++) f64[line + p] = sources[p] < 0 ? this.cval : f64[row + sources[p]];
    for (let p = half + this.width; p < sources.length; p++) f64[line + p] = sources[p] < 0 ? this.cval : f64[row + sources[p]];
    this.taps.run(memory, this.width, outAt);
  }
}

/**
 * The input's padded rows along axis 0 for a kernel of n taps: output row y reads padded rows
 * y .. y + n - 1, which live in a ring of n row slots, each padded row copied in once; rows of cval
 * (constant mode) all point at one row of cval instead. Several column stages may share one ring.
 */
class RowRing {
  readonly at: number;
  private readonly cvalAt: number;
  private readonly slotBytes: number;
  private readonly slotAddress: Int32Array;

  constructor(
    plan: MemoryPlan,
    private readonly input: Float64Array,
    private readonly width: number,
    /** The kernel length the ring serves, and padded position -> input row (-1 = cval) for it. */
    n: number,
    private readonly sources: Int32Array,
    private readonly cval: number,
  ) {
    // Slots a cache line apart beyond their length (see MemoryPlan.take).
    this.slotBytes = 8 * width + 64;
    this.at = plan.take(n * this.slotBytes);
    this.cvalAt = plan.take(8 * width);
    this.slotAddress = new Int32Array(n);
  }

  /** Fills the cval row and loads the padded rows output row 0 needs but its last. */
  prepare(memory: SpanKernel): void {
    memory.f64.fill(this.cval, this.cvalAt / 8, this.cvalAt / 8 + this.width);
    for (let p = 0; p < this.slotAddress.length - 1; p++) this.load(memory, p);
  }

  /** Loads the last padded row output row y needs; rows must come in order 0, 1, 2, ... */
  advance(memory: SpanKernel, y: number): void {
    this.load(memory, y + this.slotAddress.length - 1);
  }

  /** Byte address of padded row y + k (loaded). */
  rowAddress(y: number, k: number): number {
    return this.slotAddress[(y + k) % this.slotAddress.length];
  }

  private load(memory: SpanKernel, p: number): void {
    const slot = p % this.slotAddress.length;
    const source = this.sources[p];
    if (source < 0) {
      this.slotAddress[slot] = this.cvalAt;
      return;
    }
    const at = this.at + slot * this.slotBytes;
    memory.f64.set(this.input.subarray(source * this.width, (source + 1) * this.width), at / 8);
    this.slotAddress[slot] = at;
  }
}

/** Axis 0 for one output row at a time, on the rows of a ring made for this kernel's length. */
class ColumnStage {
  readonly taps: Taps;

  constructor(
    plan: MemoryPlan,
    kernel: AxisKernel,
    private readonly ring: RowRing,
    private readonly width: number,
  ) {
    this.taps = new Taps(plan, kernel);
  }

  prepare(memory: SpanKernel): void {
    this.taps.writeWeights(memory);
  }

  /** Output row y into `outAt`, once the ring has advanced to y. */
  run(memory: SpanKernel, y: number, outAt: number): void {
    for (let k = 0; k < this.taps.kernel.weights.length; k++) memory.i32[this.taps.at / 4 + k] = this.ring.rowAddress(y, k);
    this.taps.run(memory, this.width, outAt);
  }
}

/** correlate1d along axis 1 (each row). */
export function correlateRowsSimd(memory: SpanKernel, images: SimdImages, kernel: AxisKernel): boolean {
  const { input, output, width, height, cval } = images;
  const plan = new MemoryPlan();
  const rows = new RowStage(plan, kernel, width, cval, 0);
  const outAt = plan.take(8 * width, rows.lineAt + 2048);
  if (!memory.reserve(plan.end)) return false;
  rows.prepare(memory);
  for (let y = 0; y < height; y++) {
    memory.f64.set(input.subarray(y * width, (y + 1) * width), rows.rowAt / 8);
    rows.run(memory, outAt);
    output.set(memory.f64.subarray(outAt / 8, outAt / 8 + width), y * width);
  }
  return true;
}

/** correlate1d along axis 0 (down the columns). */
export function correlateColumnsSimd(memory: SpanKernel, images: SimdImages, kernel: AxisKernel): boolean {
  const { input, output, width, height, cval } = images;
  const plan = new MemoryPlan();
  const ring = new RowRing(plan, input, width, kernel.weights.length, kernel.sources, cval);
  const columns = new ColumnStage(plan, kernel, ring, width);
  const outAt = plan.take(8 * width, ring.at + 2048);
  if (!memory.reserve(plan.end)) return false;
  ring.prepare(memory);
  columns.prepare(memory);
  for (let y = 0; y < height; y++) {
    ring.advance(memory, y);
    columns.run(memory, y, outAt);
    output.set(memory.f64.subarray(outAt / 8, outAt / 8 + width), y * width);
  }
  return true;
}

/**
 * correlate1d along axis 0 with `down`, then along axis 1 with `across`, as SciPy's separable filters
 * chain them: row y of the first pass's output is all that row y of the second needs, so each row
 * goes straight from one to the other inside the kernel's memory. Bit-identical to the two passes.
 */
export function correlateBothAxesSimd(memory: SpanKernel, images: SimdImages, down: AxisKernel, across: AxisKernel): boolean {
  const { input, output, width, height, cval } = images;
  const plan = new MemoryPlan();
  const ring = new RowRing(plan, input, width, down.weights.length, down.sources, cval);
  const columns = new ColumnStage(plan, down, ring, width);
  const rows = new RowStage(plan, across, width, cval, ring.at + 2048);
  const outAt = plan.take(8 * width, ring.at + 1024);
  if (!memory.reserve(plan.end)) return false;
  ring.prepare(memory);
  columns.prepare(memory);
  rows.prepare(memory);
  for (let y = 0; y < height; y++) {
    ring.advance(memory, y);
    columns.run(memory, y, rows.rowAt);
    rows.run(memory, outAt);
    output.set(memory.f64.subarray(outAt / 8, outAt / 8 + width), y * width);
  }
  return true;
}

/** Writes combine(a, b) pixel by pixel: out[outStart + i] from a[aStart + i] and b[bStart + i], i < length. */
export type CombineRows = (a: Float64Array, aStart: number, b: Float64Array, bStart: number, out: Float64Array, outStart: number, length: number) => void;

/** A separable correlation: `down` along axis 0, then `across` along axis 1. */
export interface SeparableTerm {
  down: AxisKernel;
  across: AxisKernel;
}

/**
 * Two separable correlations of the input combined pixel by pixel (gaussian_laplace: their sum;
 * gaussian_gradient_magnitude: the root of the sum of squares), one row at a time: the input rows are
 * streamed once into a ring that both terms read, and neither term's image is ever written out.
 * Both `down` kernels must have one length (false otherwise): SciPy's two terms always do.
 */
export function correlateTwoTermsSimd(memory: SpanKernel, images: SimdImages, first: SeparableTerm, second: SeparableTerm, combine: CombineRows): boolean {
  const { input, output, width, height, cval } = images;
  if (first.down.weights.length !== second.down.weights.length) return false;
  const plan = new MemoryPlan();
  // One length and one mode: both down kernels extend the columns alike, so they share the ring.
  const ring = new RowRing(plan, input, width, first.down.weights.length, first.down.sources, cval);
  const terms = [first, second].map((term, t) => ({
    columns: new ColumnStage(plan, term.down, ring, width),
    rows: new RowStage(plan, term.across, width, cval, ring.at + 2048 + 1024 * t),
    outAt: plan.take(8 * width, ring.at + 512 + 2048 * t),
  }));
  if (!memory.reserve(plan.end)) return false;
  ring.prepare(memory);
  for (const { columns, rows } of terms) {
    columns.prepare(memory);
    rows.prepare(memory);
  }
  const [a, b] = terms;
  for (let y = 0; y < height; y++) {
    ring.advance(memory, y);
    for (const { columns, rows, outAt } of terms) {
      columns.run(memory, y, rows.rowAt);
      rows.run(memory, outAt);
    }
    combine(memory.f64, a.outAt / 8, memory.f64, b.outAt / 8, output, y * width, width);
  }
  return true;
}
