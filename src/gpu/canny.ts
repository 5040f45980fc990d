/**
 * Canny edge detection on the GPU in float32, stage for stage as scikit-image 0.19's
 * `feature.canny` (see ../filters/canny.ts):
 *
 *   upload (8/16-bit pixels packed) -> Gaussian, axis 0 then 1   [correlate program]
 *   -> divide by the Gaussian of the all-ones mask                [canny_smooth.wgsl]
 *   -> Sobel axis 0 and axis 1, reflect border                    [correlate program]
 *   -> magnitude + non-maximum suppression                        [canny_nms.wgsl]
 *   -> double threshold, hysteresis passes, pack to bytes         [canny_hysteresis.wgsl]
 *
 * Absolute thresholds: everything up to the first batch of hysteresis passes goes into one submit.
 * Quantile thresholds (`useQuantiles`): the first submit also reads back the magnitude, the host
 * computes np.percentile of it (float64 arithmetic on the float32 magnitudes), then hysteresis runs.
 * Hysteresis repeats promotion passes, `passesPerSubmit` per submit, until a pass changes nothing;
 * each submit also packs the edges, so the converged submit's bytes are the result.
 */
import { boundaryIndex } from '../filters/boundary.js';
import {
  CANNY_SOBEL_MODE,
  CANNY_TRUNCATE,
  type CannyParams,
  type ResolvedCannyParams,
  cannyThresholds,
  imageScale,
  magnitudeThresholds,
  validateCannyParams,
} from '../filters/canny.js';
import { type Axis, DERIVATIVE_WEIGHTS, SOBEL_SMOOTHING } from '../filters/edges.js';
import { SIGMA_EPSILON, gaussianKernel1d, gaussianRadius } from '../filters/gaussian.js';
import { type Image2D, dtypeOf } from '../image.js';
import type { BufferPool } from './buffer-pool.js';
import { recordCorrelate } from './programs/correlate.js';
import { uploadPlane } from './programs/upload.js';
import { PLANE_USAGE, Recording, linearGrid } from './recording.js';
import { BufferUsage, MapModeRead } from './usage.js';

/** What the Canny kernels run on: the engine's device and its buffer pool. */
export interface GpuCannyContext {
  device: GPUDevice;
  pool: BufferPool;
}

export interface GpuCannyOptions {
  /**
   * Hysteresis promotion passes recorded per submit between checks of the changed flags. Passes
   * after the first that changes nothing return at once, so a generous number costs little. Default 16.
   */
  passesPerSubmit?: number;
}

export interface GpuCannyResult {
  /** 0/1 edge map. */
  edges: Image2D<Uint8Array>;
  /** Promotion passes run until one changed nothing (that last one included). */
  hysteresisPasses: number;
  /** Queue submits used (1 when hysteresis converges within the first batch of passes). */
  submits: number;
  /** The thresholds compared with the float32 magnitude (percentiles already resolved). */
  thresholds: { low: number; high: number };
}

export const DEFAULT_PASSES_PER_SUBMIT = 16;
/** Promotion tiles are 32x32 pixels (TILE in canny_hysteresis.wgsl). */
const PROMOTE_TILE = 32;
const READBACK_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;

/**
 * `skimage.feature.canny(image, ...)` as a 0/1 uint8 edge map, computed in float32 on `context`'s
 * device. Parameters are validated as on the CPU (same errors). The caller serialises calls that
 * share a pool with other work (the engine runs one call at a time).
 */
export async function cannyGpu(
  context: GpuCannyContext,
  image: Image2D,
  params: CannyParams = {},
  options: GpuCannyOptions = {},
): Promise<GpuCannyResult> {
  const resolved = validateCannyParams(params);
  const thresholds = cannyThresholds(resolved, dtypeOf(image.data));
  const passesPerSubmit = options.passesPerSubmit ?? DEFAULT_PASSES_PER_SUBMIT;
  if (!Number.isInteger(passesPerSubmit) || passesPerSubmit < 1) {
    throw new RangeError(`passesPerSubmit must be a positive integer, got ${passesPerSubmit}`);
  }
  const { device, pool } = context;
  const { width, height } = image;
  const count = width * height;
  const label = `canny ${width}x${height}`;
  // Planes that live across submits: the local maxima and the hysteresis state.
  const held: GPUBuffer[] = [];
  const hold = (buffer: GPUBuffer) => {
    held.push(buffer);
    return buffer;
  };
  try {
    const maxima = hold(pool.acquire(count * 4, PLANE_USAGE, `${label} maxima`));
    const state = hold(pool.acquire(count * 4, PLANE_USAGE, `${label} state`));
    const magnitude = thresholds.quantiles ? hold(pool.acquire(count * 4, PLANE_USAGE, `${label} magnitude`)) : undefined;

    let submits = 0;
    let rec = new Recording(device, pool, `${label} gradients`);
    let levels: { low: number; high: number };
    try {
      recordGradientsAndMaxima(rec, image, resolved, maxima, magnitude, label);
      if (magnitude) {
        rec.endPass();
        const magnitudes = await readPlane(rec, magnitude, count, label);
        submits++;
        levels = magnitudeThresholds(thresholds, magnitudes);
      } else {
        levels = { low: thresholds.low, high: thresholds.high };
      }
    } catch (error) {
      rec.endPass();
      rec.releasePinned();
      throw error;
    }
    if (magnitude) {
      rec.releasePinned();
      rec = new Recording(device, pool, `${label} hysteresis`);
    }

    const hysteresis = { width, height, low: float32AtLeast(levels.low), high: float32AtLeast(levels.high) };
    let passes = 0;
    for (let batch = 0; ; batch++) {
      if (batch > 0) rec = new Recording(device, pool, `${label} hysteresis ${batch}`);
      try {
        if (batch === 0) recordClassify(rec, hysteresis, maxima, state, label);
        const round = await runPromoteBatch(rec, hysteresis, state, passesPerSubmit, label);
        submits++;
        const firstIdle = round.changed.indexOf(0);
        passes += firstIdle < 0 ? passesPerSubmit : firstIdle + 1;
        if (firstIdle >= 0) {
          return { edges: { width, height, data: round.edges() }, hysteresisPasses: passes, submits, thresholds: levels };
        }
        // Each pass that changes something promotes a whole tile's worth of chain; a chain can cross
        // at most every tile once, so more passes than tiles means the kernel is broken.
        const tiles = Math.ceil(width / PROMOTE_TILE) * Math.ceil(height / PROMOTE_TILE);
        if (passes > tiles + 1) throw new Error(`canny hysteresis did not converge after ${passes} passes over ${tiles} tiles`);
      } finally {
        rec.endPass();
        rec.releasePinned();
      }
    }
  } finally {
    for (const buffer of held) pool.release(buffer);
  }
}

/**
 * Records the smoothing, the Sobel gradients and non-maximum suppression into `rec`; `maxima`
 * receives the magnitude at local maxima (0 elsewhere), `magnitude` (if given) every magnitude.
 */
function recordGradientsAndMaxima(
  rec: Recording,
  image: Image2D,
  params: ResolvedCannyParams,
  maxima: GPUBuffer,
  magnitude: GPUBuffer | undefined,
  label: string,
): void {
  const { width, height } = image;
  const count = width * height;
  const scale = imageScale(dtypeOf(image.data));
  const gaussian = params.sigma.map(cannyGaussianWeights) as [Float64Array, Float64Array];
  // One weights buffer: Gaussian axis 0, Gaussian axis 1, derivative, Sobel smoothing.
  const pieces = [gaussian[0], gaussian[1], DERIVATIVE_WEIGHTS, SOBEL_SMOOTHING];
  const offsets: number[] = [];
  const all: number[] = [];
  for (const piece of pieces) {
    offsets.push(all.length);
    for (let i = 0; i < piece.length; i++) all.push(piece[i]);
  }
  const weights = rec.upload(Float32Array.from(all), `${label} weights`);
  const scratch = rec.zeros(4, `${label} scratch`);
  const plane = (what: string) => {
    const buffer = rec.plane(count, `${label} ${what}`);
    rec.pin(buffer);
    return buffer;
  };
  const correlate = (src: GPUBuffer, axis: Axis, piece: number, mode: ResolvedCannyParams['mode'], cval: number, what: string) => {
    const dst = plane(what);
    recordCorrelate(rec, {
      width, height, src, axis, weights, weightOffset: offsets[piece], radius: (pieces[piece].length - 1) / 2,
      mode, cval, epilogue: 'store',
    }, dst, scratch, `${label} ${what}`);
    return dst;
  };

  // Smoothing of the raw pixels: img_as_float's scale is applied after the division, so the
  // border value must be in raw units (cval / scale); by linearity the result is the same.
  const raw = uploadPlane(rec, image, label);
  const rawCval = params.cval / scale;
  const blurred = correlate(correlate(raw, 0, 0, params.mode, rawCval, 'gaussian axis 0'), 1, 1, params.mode, rawCval, 'gaussian axis 1');
  const smoothed = plane('smoothed');
  const tables = bleedOverTables(width, height, gaussian, params);
  const smoothParams = new ArrayBuffer(16);
  new Uint32Array(smoothParams, 0, 2).set([width, height]);
  new Float32Array(smoothParams, 8, 2).set([scale, params.cval]);
  rec.dispatch('canny_smooth', 'smooth_divide', [
    rec.uniform(smoothParams, `${label} smooth params`), blurred, rec.upload(tables, `${label} bleed-over tables`), smoothed,
  ], tileGrid(width, height, 16), `${label} smooth`);

  // ndi.sobel(axis): the derivative along `axis`, then [1, 2, 1] along the other; reflect border.
  const isobel = correlate(correlate(smoothed, 0, 2, CANNY_SOBEL_MODE, 0, 'sobel 0 derivative'), 1, 3, CANNY_SOBEL_MODE, 0, 'sobel 0');
  const jsobel = correlate(correlate(smoothed, 1, 2, CANNY_SOBEL_MODE, 0, 'sobel 1 derivative'), 0, 3, CANNY_SOBEL_MODE, 0, 'sobel 1');

  // Without quantiles the magnitude plane is never written: a scratch word fills its binding.
  const nmsParams = new Uint32Array([width, height, magnitude ? 1 : 0, 0]);
  rec.dispatch('canny_nms', 'nms', [rec.uniform(nmsParams.buffer, `${label} nms params`), isobel, jsobel, maxima, magnitude ?? scratch],
    tileGrid(width, height, 16), `${label} nms`);
}

/** The 1-D Gaussian of `gaussian_filter` for one axis; sigma <= 1e-15 means "skip the axis" in SciPy, i.e. weight [1]. */
function cannyGaussianWeights(sigma: number): Float64Array {
  if (sigma <= SIGMA_EPSILON) return Float64Array.of(1);
  return gaussianKernel1d(sigma, 0, gaussianRadius(sigma, { truncate: CANNY_TRUNCATE }));
}

/**
 * The Gaussian of the all-ones mask as tables for canny_smooth.wgsl, in float64:
 * rows[y] = sum_k w0[k] * (tap inside ? 1 : cval), inside[x] / outside[x] = sums of the w1 taps
 * landing inside / outside the image (outside happens in `constant` mode only; elsewhere the ones
 * extend as ones).
 */
export function bleedOverTables(
  width: number,
  height: number,
  weights: readonly [Float64Array, Float64Array],
  params: Pick<ResolvedCannyParams, 'mode' | 'cval'>,
): Float32Array {
  const tables = new Float32Array(height + 2 * width);
  const [w0, w1] = weights;
  const r0 = (w0.length - 1) / 2;
  const r1 = (w1.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    let sum = 0;
    for (let k = 0; k < w0.length; k++) sum += w0[k] * (boundaryIndex(y + k - r0, height, params.mode) >= 0 ? 1 : params.cval);
    tables[y] = sum;
  }
  for (let x = 0; x < width; x++) {
    let inside = 0;
    let outside = 0;
    for (let k = 0; k < w1.length; k++) {
      if (boundaryIndex(x + k - r1, width, params.mode) >= 0) inside += w1[k];
      else outside += w1[k];
    }
    tables[height + x] = inside;
    tables[height + width + x] = outside;
  }
  return tables;
}

interface HysteresisSetup {
  width: number;
  height: number;
  /** float32 thresholds: the smallest float32 >= the float64 ones. */
  low: number;
  high: number;
}

function hysteresisUniform(rec: Recording, setup: HysteresisSetup, passIndex: number, what: string): GPUBuffer {
  const data = new ArrayBuffer(32);
  new Uint32Array(data, 0, 2).set([setup.width, setup.height]);
  new Float32Array(data, 8, 2).set([setup.low, setup.high]);
  new Uint32Array(data, 16, 1)[0] = passIndex;
  return rec.uniform(data, what);
}

function recordClassify(rec: Recording, setup: HysteresisSetup, maxima: GPUBuffer, state: GPUBuffer, label: string): void {
  rec.dispatch('canny_hysteresis', 'classify', [hysteresisUniform(rec, setup, 0, `${label} classify params`), maxima, state],
    tileGrid(setup.width, setup.height, 16), `${label} classify`);
}

interface PromoteBatch {
  /** Per pass: 1 if it promoted something. */
  changed: Uint32Array;
  /** The packed edges of this submit (read back on demand; only valid once a pass changed nothing). */
  edges: () => Uint8Array;
}

/** Records `passes` promotion passes and the packing into `rec`, submits, and reads the flags back. */
async function runPromoteBatch(rec: Recording, setup: HysteresisSetup, state: GPUBuffer, passes: number, label: string): Promise<PromoteBatch> {
  const count = setup.width * setup.height;
  const flags = rec.zeros(4 * passes, `${label} changed flags`);
  const grid: [number, number] = [Math.ceil(setup.width / PROMOTE_TILE), Math.ceil(setup.height / PROMOTE_TILE)];
  for (let pass = 0; pass < passes; pass++) {
    const uniform = hysteresisUniform(rec, setup, pass, `${label} promote ${pass} params`);
    rec.dispatch('canny_hysteresis', 'promote', [uniform, undefined, state, flags], grid, `${label} promote ${pass}`);
  }
  const words = Math.ceil(count / 4);
  const packed = rec.plane(words, `${label} packed edges`);
  rec.pin(packed);
  rec.dispatch('canny_hysteresis', 'pack_edges', [hysteresisUniform(rec, setup, 0, `${label} pack params`), undefined, state, undefined, packed],
    linearGrid(words, rec.maxWorkgroupsPerDimension), `${label} pack`);
  rec.endPass();
  const flagsReadback = rec.pool.acquire(4 * passes, READBACK_USAGE, `${label} changed flags readback`);
  const edgesReadback = rec.pool.acquire(words * 4, READBACK_USAGE, `${label} edges readback`);
  rec.pin(flagsReadback);
  rec.pin(edgesReadback);
  rec.encoder.copyBufferToBuffer(flags, 0, flagsReadback, 0, 4 * passes);
  rec.encoder.copyBufferToBuffer(packed, 0, edgesReadback, 0, words * 4);
  rec.device.queue.submit([rec.encoder.finish({ label: `xray-gpu ${label} hysteresis commands` })]);
  await flagsReadback.mapAsync(MapModeRead);
  const changed = new Uint32Array(flagsReadback.getMappedRange().slice(0));
  flagsReadback.unmap();
  let edges: Uint8Array | undefined;
  if (changed.includes(0)) {
    await edgesReadback.mapAsync(MapModeRead);
    edges = new Uint8Array(edgesReadback.getMappedRange().slice(0, count));
    edgesReadback.unmap();
  }
  return {
    changed,
    edges: () => {
      if (!edges) throw new Error('canny edges read before hysteresis converged');
      return edges;
    },
  };
}

/** Copies `plane` to a readback buffer, submits `rec` (whose pass has ended) and returns the floats. */
async function readPlane(rec: Recording, plane: GPUBuffer, count: number, label: string): Promise<Float32Array> {
  const readback = rec.pool.acquire(count * 4, READBACK_USAGE, `${label} magnitude readback`);
  rec.pin(readback);
  rec.encoder.copyBufferToBuffer(plane, 0, readback, 0, count * 4);
  rec.device.queue.submit([rec.encoder.finish({ label: `xray-gpu ${label} gradient commands` })]);
  await readback.mapAsync(MapModeRead);
  const values = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  return values;
}

/** Workgroups of `size` x `size` invocations covering a width x height image. */
function tileGrid(width: number, height: number, size: number): [number, number] {
  return [Math.ceil(width / size), Math.ceil(height / size)];
}

/**
 * The smallest float32 >= `t`: for every float32 v, `v >= float32AtLeast(t)` is exactly the
 * float64 comparison `v >= t`.
 */
export function float32AtLeast(t: number): number {
  const f = Math.fround(t);
  if (f >= t || Number.isNaN(t)) return f;
  // fround rounded down: step to the next float32 towards +infinity.
  const bits = new Float32Array([f]);
  const u = new Uint32Array(bits.buffer);
  if (f === 0) u[0] = 1; // -0 or +0 below a tiny positive t: the smallest positive subnormal
  else if (f > 0) u[0] += 1;
  else u[0] -= 1;
  return bits[0];
}
