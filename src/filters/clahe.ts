/**
 * CLAHE as skimage 0.19 computes it, `exposure.equalize_adapthist(x, kernel_size, clip_limit, nbins)`
 * (exposure/_adapthist.py), for 8-bit images, returned as levels round(255 * out). The parameters,
 * the geometry and the per-tile histogram steps live here; both engines use them.
 *
 * skimage's pipeline on an 8-bit image x:
 *  1. img_as_uint (x * 257), rescale_intensity to [0, 16383] and np.round: a 256-entry table of x;
 *     then `// (1 + 16384 // nbins)` gives each pixel's histogram bin (`binTable`).
 *  2. The image is padded (np.pad 'reflect', ndimage's mirror) by k // 2 in front and to a multiple
 *     of k plus ceil(k / 2) behind, per axis. In image coordinates: tile (ti, tj) of the histograms
 *     covers rows ti*k0 .. ti*k0 + k0 - 1 (mirrored past the edge), ceil(H / k0) x ceil(W / k1) tiles.
 *  3. Each tile's histogram is clipped at `clipCount` with skimage's redistribution loop
 *     (`clipHistogram`), then mapped: floor(min(cumsum * (16383 / (k0 * k1)), 16383)) (`mapHistogram`).
 *  4. Each pixel blends the maps of its four surrounding tiles bilinearly, in float32, truncated to
 *     uint16; finally rescale_intensity to [0, 1] over the image's min and max.
 */

/** skimage's NR_OF_GRAY: the working gray levels of its CLAHE. */
import { boundaryIndex } from './boundary.js';
import { roundHalfEven } from './uint8.js';

export const CLAHE_GRAY_LEVELS = 2 ** 14;

export interface ClaheOptions {
  /** Fraction of a tile's pixels a bin may hold before clipping; 0 disables clipping (plain AHE). Default 0.01. */
  clipLimit?: number;
  /** Tile size [rows, columns] or one size for both; default 1/8 of each side (at least 1). */
  kernelSize?: number | readonly [number, number];
  /** Histogram bins; default 256. */
  nbins?: number;
}

export interface ResolvedClahe {
  clipLimit: number;
  /** undefined: 1/8 of the image's sides, resolved per image by `claheGeometry`. */
  kernelSize: [number, number] | undefined;
  nbins: number;
}

export const MAX_CLAHE_BINS = CLAHE_GRAY_LEVELS;

export function validateClaheOptions(options: ClaheOptions): ResolvedClahe {
  const clipLimit = options.clipLimit ?? 0.01;
  if (!Number.isFinite(clipLimit) || clipLimit < 0) throw new RangeError(`clipLimit must be a finite number >= 0, got ${clipLimit}`);
  const nbins = options.nbins ?? 256;
  if (!Number.isInteger(nbins) || nbins < 1 || nbins > MAX_CLAHE_BINS) {
    throw new RangeError(`nbins must be an integer from 1 to ${MAX_CLAHE_BINS}, got ${nbins}`);
  }
  let kernelSize: [number, number] | undefined;
  if (options.kernelSize !== undefined) {
    const k = options.kernelSize;
    if (typeof k !== 'number' && k.length !== 2) {
      throw new RangeError(`kernelSize must be a number or a pair [rows, columns], got ${k.length} values`);
    }
    kernelSize = typeof k === 'number' ? [k, k] : [k[0], k[1]];
    for (const size of kernelSize) {
      if (!Number.isInteger(size) || size < 1) throw new RangeError(`kernelSize must be positive integers, got ${size}`);
    }
  }
  return { clipLimit, kernelSize, nbins };
}

/** Everything about one image's CLAHE that does not depend on its pixels' positions. */
export interface ClaheGeometry {
  width: number;
  height: number;
  /** [rows, columns] of a tile. */
  kernel: [number, number];
  /** Histogram tiles per axis: ceil(side / kernel). */
  tilesY: number;
  tilesX: number;
  nbins: number;
  /** A bin may hold this many pixels (skimage's `clim`). */
  clipCount: number;
  /** Pixels per tile, k0 * k1. */
  tilePixels: number;
}

export function claheGeometry(width: number, height: number, params: ResolvedClahe): ClaheGeometry {
  const kernel: [number, number] = params.kernelSize ?? [Math.max(height >> 3, 1), Math.max(width >> 3, 1)];
  const tilePixels = kernel[0] * kernel[1];
  // int(np.clip(clip_limit * prod(kernel), 1, None)), or no clipping at all for clip_limit 0.
  const clipCount = params.clipLimit > 0 ? Math.trunc(Math.max(params.clipLimit * tilePixels, 1)) : tilePixels;
  return {
    width,
    height,
    kernel,
    tilesY: Math.ceil(height / kernel[0]),
    tilesX: Math.ceil(width / kernel[1]),
    nbins: params.nbins,
    clipCount,
    tilePixels,
  };
}

/**
 * Bin of each 8-bit level for this image: img_as_uint (x * 257), rescale_intensity to [0, 16383]
 * over the image's own min and max, np.round, then `// (1 + 16384 // nbins)`.
 */
export function binTable(min: number, max: number, nbins: number): Uint32Array {
  const lo = min * 257;
  const hi = max * 257;
  const binSize = 1 + Math.floor(CLAHE_GRAY_LEVELS / nbins);
  const table = new Uint32Array(256);
  for (let x = 0; x < 256; x++) {
    const u = x * 257;
    let level: number;
    if (lo !== hi) {
      const clipped = Math.min(Math.max(u, lo), hi);
      level = roundHalfEven(((clipped - lo) / (hi - lo)) * (CLAHE_GRAY_LEVELS - 1));
    } else {
      // rescale_intensity of a constant image: np.clip(image, 0, 16383).
      level = Math.min(u, CLAHE_GRAY_LEVELS - 1);
    }
    table[x] = Math.floor(level / binSize);
  }
  return table;
}

/** np.pad's 'reflect' (ndimage's mirror: d c b | a b c d | c b a) of an index into [0, length). */
export function reflectIndex(index: number, length: number): number {
  return boundaryIndex(index, length, 'mirror');
}

/**
 * skimage's clip_histogram, step for step (integers throughout), in place: clip every bin at
 * `clip`, add the excess evenly, then hand out what remains one pixel at a time with its strided
 * loop. The loop's order decides which bins get the leftovers, so it is ported as written.
 */
export function clipHistogram(hist: Int32Array | Uint32Array, clip: number): void {
  const n = hist.length;
  let excess = 0;
  for (let i = 0; i < n; i++) {
    if (hist[i] > clip) {
      excess += hist[i] - clip;
      hist[i] = clip;
    }
  }
  const increment = Math.floor(excess / n);
  const upper = clip - increment;
  for (let i = 0; i < n; i++) {
    if (hist[i] < upper) {
      hist[i] += increment;
      excess -= increment;
    }
  }
  // After the increment: bins now in [upper, clip) are set to clip, and what that adds or
  // removes is charged to the excess.
  for (let i = 0; i < n; i++) {
    if (hist[i] >= upper && hist[i] < clip) {
      excess += hist[i] - clip;
      hist[i] = clip;
    }
  }
  // `under` is np.count_nonzero(hist < clip_limit), kept up to date instead of recounted.
  let under = 0;
  for (let i = 0; i < n; i++) if (hist[i] < clip) under++;
  while (excess > 0) {
    const before = excess;
    for (let index = 0; index < n; index++) {
      const step = Math.max(1, Math.floor(under / excess));
      for (let i = index; i < n; i += step) {
        if (hist[i] < clip) {
          hist[i] += 1;
          excess -= 1;
          if (hist[i] === clip) under--;
        }
      }
      if (excess <= 0) break;
    }
    if (before === excess) break;
  }
}

/** skimage's map_histogram into `out`: floor(min(cumsum * (16383 / tilePixels), 16383)). */
export function mapHistogram(hist: Int32Array | Uint32Array, tilePixels: number, out: Uint32Array | Int32Array): void {
  const scale = (CLAHE_GRAY_LEVELS - 1) / tilePixels;
  let sum = 0;
  for (let i = 0; i < hist.length; i++) {
    sum += hist[i];
    out[i] = Math.trunc(Math.min(sum * scale, CLAHE_GRAY_LEVELS - 1));
  }
}

/**
 * The bilinear weights skimage gives the four tiles around a pixel at offset (u, v) inside its
 * block, in its order (0,0), (0,1), (1,0), (1,1): column factor times row factor, in float64,
 * with factors v / k1 or 1 - v / k1 and u / k0 or 1 - u / k0. Returns 4 * k0 * k1 values.
 */
export function blendWeights(kernel: readonly [number, number]): Float64Array {
  const [k0, k1] = kernel;
  const weights = new Float64Array(4 * k0 * k1);
  for (let u = 0; u < k0; u++) {
    const row = u / k0;
    for (let v = 0; v < k1; v++) {
      const col = v / k1;
      const at = 4 * (u * k1 + v);
      weights[at] = (1 - col) * (1 - row);
      weights[at + 1] = col * (1 - row);
      weights[at + 2] = (1 - col) * row;
      weights[at + 3] = col * row;
    }
  }
  return weights;
}
