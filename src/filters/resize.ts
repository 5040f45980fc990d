/**
 * Resizing as two separable linear maps: out = Rows · X · Colsᵀ, where Rows (outHeight x inHeight)
 * and Cols (outWidth x inWidth) are sparse per-axis weight tables. Both resize methods are of that
 * form, so both engines only apply tables built here:
 *
 * - `skimage`: skimage 0.19 `transform.resize(x.astype(float64), (H, W), order=1, mode='reflect',
 *   anti_aliasing=True, preserve_range=True)` (transform/_warps.py). That is
 *   `ndi.gaussian_filter(x, sigma=max(0, (in/out - 1) / 2), mode='mirror')` (np.pad's 'reflect' is
 *   ndimage's 'mirror'), then `ndi.zoom(..., order=1, mode='mirror', grid_mode=True)`, then a clip to
 *   the input's [min, max]. Gaussian and linear zoom are each separable and linear, so per axis the
 *   table is the zoom's two taps composed with the Gaussian's taps around each, boundary folding
 *   included: the Gaussian is computed only where the zoom reads it, in one pass. The composition
 *   changes only the order of float64 additions (results agree with SciPy to ~1e-13).
 * - `area`: OpenCV 4.6 `cv2.resize(x, (W, H), interpolation=INTER_AREA)` (imgproc/src/resize.cpp):
 *   when both axes shrink (or keep) their size, the pixel-area weights of computeResizeAreaTab;
 *   otherwise OpenCV emulates area with a two-tap linear rule on both axes, reproduced here
 *   (`areaLinearTable`).
 */
import { boundaryIndex } from './boundary.js';
import { gaussianKernel1d, gaussianRadius } from './gaussian.js';

/** ndimage 'mirror' (d c b | a b c d | c b a), any distance out: np.pad's 'reflect'. */
const mirrorIndex = (index: number, length: number): number => boundaryIndex(index, length, 'mirror');

export const RESIZE_METHODS = ['skimage', 'area'] as const;
export type ResizeMethod = (typeof RESIZE_METHODS)[number];

/** Largest output side accepted; beyond this a typo (e.g. 224000) would allocate gigabytes. */
export const MAX_RESIZE_SIDE = 65536;

/**
 * One axis's resampling table in compressed rows: output index `o` reads input indices
 * `index[offset[o] .. offset[o + 1])` with the matching `weight`s. Indices are already folded into
 * [0, inLength) by the boundary rule, and an index appears at most once per output.
 */
export interface AxisTable {
  readonly inLength: number;
  readonly outLength: number;
  /** outLength + 1 entries. */
  readonly offset: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

export function validateResizeMethod(method: unknown): ResizeMethod {
  if (typeof method === 'string' && (RESIZE_METHODS as readonly string[]).includes(method)) return method as ResizeMethod;
  throw new RangeError(`resize method must be one of ${RESIZE_METHODS.join(', ')}; got ${JSON.stringify(method)}`);
}

/** Checks an output size; a bad one is a RangeError naming the value. */
export function validateResizeSize(height: unknown, width: unknown): { height: number; width: number } {
  for (const [name, value] of [['height', height], ['width', width]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RESIZE_SIDE) {
      throw new RangeError(`resize ${name} must be an integer from 1 to ${MAX_RESIZE_SIDE}, got ${JSON.stringify(value)}`);
    }
  }
  return { height: height as number, width: width as number };
}

/**
 * A size given as `N` (square) or `HxW` (e.g. "224", "320x256"), as the prepare command's --size
 * takes it; returns [height, width].
 */
export function parseResizeSize(text: string): { height: number; width: number } {
  const match = /^(\d+)(?:x(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`size must be N or HxW with positive integers (e.g. 224 or 320x256), got ${JSON.stringify(text)}`);
  const height = Number(match[1]);
  return validateResizeSize(height, match[2] === undefined ? height : Number(match[2]));
}

/**
 * torchxrayvision's XRayCenterCrop: the central square of side min(H, W), starting at
 * `x // 2 - side // 2` (and likewise for y), as its crop_center computes it.
 */
export function centerCropBox(width: number, height: number): { x: number; y: number; size: number } {
  const size = Math.min(width, height);
  return { x: (width >> 1) - (size >> 1), y: (height >> 1) - (size >> 1), size };
}

/** The [rows, columns] tables of a resize from inHeight x inWidth to height x width. */
export function resizeTables(
  method: ResizeMethod,
  inHeight: number,
  inWidth: number,
  height: number,
  width: number,
): [AxisTable, AxisTable] {
  if (method === 'skimage') return [skimageTable(inHeight, height), skimageTable(inWidth, width)];
  // OpenCV decides per image, not per axis: true area only when neither axis grows.
  const trueArea = inHeight >= height && inWidth >= width;
  return trueArea
    ? [areaTable(inHeight, height), areaTable(inWidth, width)]
    : [areaLinearTable(inHeight, height), areaLinearTable(inWidth, width)];
}

// ---------------------------------------------------------------------------------------------
// skimage: Gaussian prefilter (ndimage mode 'mirror') composed with ndi.zoom(order=1, grid_mode=True)

const tableCache = new Map<string, AxisTable>();
const TABLE_CACHE_LIMIT = 64;

function cached(key: string, build: () => AxisTable): AxisTable {
  let table = tableCache.get(key);
  if (table === undefined) {
    table = build();
    if (tableCache.size >= TABLE_CACHE_LIMIT) tableCache.delete(tableCache.keys().next().value as string);
    tableCache.set(key, table);
  }
  return table;
}

/**
 * ni_interpolation.c's map_coordinate for NI_EXTEND_MIRROR: a coordinate outside [0, len - 1]
 * folded back in (a float; the interpolation then takes floor and fraction).
 */
function mirrorCoordinate(x: number, length: number): number {
  if (x >= 0 && x <= length - 1) return x;
  if (length <= 1) return 0;
  const period = 2 * length - 2;
  if (x < 0) {
    let v = period * Math.trunc(-x / period) + x;
    v = v <= 1 - length ? v + period : -v;
    return v;
  }
  let v = x - period * Math.trunc(x / period);
  if (v >= length) v = period - v;
  return v;
}

/**
 * The anti-aliasing sigma of skimage's resize along an axis: `max(0, (in / out - 1) / 2)`
 * (np.divide of the shapes, in float64).
 */
export function skimageSigma(inLength: number, outLength: number): number {
  return Math.max(0, (inLength / outLength - 1) / 2);
}

function skimageTable(inLength: number, outLength: number): AxisTable {
  return cached(`skimage:${inLength}:${outLength}`, () => buildSkimageTable(inLength, outLength));
}

function buildSkimageTable(inLength: number, outLength: number): AxisTable {
  const sigma = skimageSigma(inLength, outLength);
  // gaussian_filter skips an axis with sigma <= 1e-15; truncate is its default 4.0.
  const kernel = sigma > 1e-15 ? gaussianKernel1d(sigma, 0, gaussianRadius(sigma)) : Float64Array.of(1);
  const radius = (kernel.length - 1) >> 1;
  // ndi.zoom's grid_mode zoom factor: in / out from the shapes (zoom() recomputes it from them).
  const zoom = inLength / outLength;
  const dense = new Float64Array(inLength);
  // stamp[i] === o + 1 marks input i as already listed for output o.
  const stamp = new Int32Array(inLength);
  const touched: number[] = [];
  const offsets = new Int32Array(outLength + 1);
  const indices: number[] = [];
  const weights: number[] = [];
  for (let o = 0; o < outLength; o++) {
    const cc = mirrorCoordinate((o + 0.5) * zoom - 0.5, inLength);
    // get_spline_interpolation_weights for order 1: w0 = 1 - t, and w1 = 1 - w0 (not t itself).
    const start = Math.floor(cc);
    const w0 = 1 - (cc - start);
    const taps: [number, number][] = [
      [mirrorIndex(start, inLength), w0],
      [mirrorIndex(start + 1, inLength), 1 - w0],
    ];
    for (const [center, w] of taps) {
      if (w === 0) continue;
      // correlate1d: filtered[c] = sum_k kernel[k] * x[mirror(c + k - radius)].
      for (let k = 0; k < kernel.length; k++) {
        const i = mirrorIndex(center + k - radius, inLength);
        if (stamp[i] !== o + 1) {
          stamp[i] = o + 1;
          touched.push(i);
        }
        dense[i] += w * kernel[k];
      }
    }
    touched.sort((a, b) => a - b);
    for (const i of touched) {
      indices.push(i);
      weights.push(dense[i]);
      dense[i] = 0;
    }
    touched.length = 0;
    offsets[o + 1] = indices.length;
  }
  return { inLength, outLength, offset: offsets, index: Int32Array.from(indices), weight: Float64Array.from(weights) };
}

// ---------------------------------------------------------------------------------------------
// OpenCV INTER_AREA

/**
 * computeResizeAreaTab: output cell [o * scale, (o + 1) * scale) of the input, each input pixel
 * weighted by the part of it inside the cell over the cell's width. OpenCV stores the weights as
 * float32; so does this table (rounded through Math.fround), so that sums match its arithmetic.
 */
function areaTable(inLength: number, outLength: number): AxisTable {
  return cached(`area:${inLength}:${outLength}`, () => {
    const scale = inLength / outLength;
    const offsets = new Int32Array(outLength + 1);
    const indices: number[] = [];
    const weights: number[] = [];
    for (let o = 0; o < outLength; o++) {
      const fsx1 = o * scale;
      const fsx2 = fsx1 + scale;
      const cellWidth = Math.min(scale, inLength - fsx1);
      let sx1 = Math.ceil(fsx1);
      let sx2 = Math.floor(fsx2);
      sx2 = Math.min(sx2, inLength - 1);
      sx1 = Math.min(sx1, sx2);
      if (sx1 - fsx1 > 1e-3) {
        indices.push(sx1 - 1);
        weights.push(Math.fround((sx1 - fsx1) / cellWidth));
      }
      for (let s = sx1; s < sx2; s++) {
        indices.push(s);
        weights.push(Math.fround(1 / cellWidth));
      }
      if (fsx2 - sx2 > 1e-3) {
        indices.push(sx2);
        weights.push(Math.fround(Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth));
      }
      offsets[o + 1] = indices.length;
    }
    return { inLength, outLength, offset: offsets, index: Int32Array.from(indices), weight: Float64Array.from(weights) };
  });
}

/**
 * INTER_AREA when an axis grows: resize.cpp's linear path in "area mode", per output index
 * sx = floor(o * scale), fx = (o + 1) - (sx + 1) / scale (as float32), fx = fx <= 0 ? 0 : fx - floor(fx),
 * taps sx and sx + 1 with weights 1 - fx and fx, clamped at the borders. (For 8-bit images OpenCV
 * then uses 11-bit fixed-point weights; the float weights here stay within a level of it.)
 */
function areaLinearTable(inLength: number, outLength: number): AxisTable {
  return cached(`area-linear:${inLength}:${outLength}`, () => {
    const scale = inLength / outLength;
    const invScale = outLength / inLength;
    const offsets = new Int32Array(outLength + 1);
    const indices: number[] = [];
    const weights: number[] = [];
    for (let o = 0; o < outLength; o++) {
      let sx = Math.floor(o * scale);
      let fx = Math.fround(o + 1 - (sx + 1) * invScale);
      fx = fx <= 0 ? 0 : Math.fround(fx - Math.floor(fx));
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx >= inLength - 1) {
        fx = 0;
        sx = inLength - 1;
      }
      indices.push(sx);
      weights.push(Math.fround(1 - fx));
      if (fx !== 0) {
        indices.push(sx + 1);
        weights.push(fx);
      }
      offsets[o + 1] = indices.length;
    }
    return { inLength, outLength, offset: offsets, index: Int32Array.from(indices), weight: Float64Array.from(weights) };
  });
}
