/**
 * Canny edge detection (Canny 1986) exactly as scikit-image 0.19 implements it
 * (skimage/feature/_canny.py, `canny(image, sigma=1., low_threshold=None, high_threshold=None,
 * mask=None, use_quantiles=False, *, mode='constant', cval=0.0)`): parameters, defaults, validation
 * and the constants both engines share. The stages, in order:
 *
 *   1. img_as_float: uint8 and uint16 become `x * (1 / dtype_max)`; float inputs stay as they are.
 *   2. Smoothing that ignores what lies beyond the image (`_preprocess`): the Gaussian of the image
 *      divided by (the Gaussian of an all-ones mask + machine epsilon), both with `mode`/`cval`.
 *   3. Gradients `ndi.sobel(smoothed, axis=0)` and `axis=1` (SciPy's default `reflect` border,
 *      whatever `mode` is) and their magnitude `hypot`.
 *   4. Non-maximum suppression with bilinear interpolation between the two neighbours on each
 *      side of the gradient direction, inside the eroded mask (every pixel but the 1-pixel border).
 *   5. Double threshold (`magnitude >= low`, `>= high`) and hysteresis: a weak pixel survives when
 *      it is 8-connected to a strong one through weak pixels.
 *
 * The mask argument of scikit-image is not offered: without it the eroded mask is the image minus
 * its outer ring of pixels, which is what both engines use.
 */
import { type BoundaryMode, validateMode } from './boundary.js';
import type { DType } from '../image.js';
import { percentileByRank } from './percentile.js';

/** What a caller may pass; every field is optional and defaults as in scikit-image. */
export interface CannyParams {
  /** Gaussian standard deviation, or a pair [rows, columns]. Default 1. */
  sigma?: number | readonly [number, number];
  /**
   * Lower hysteresis bound on the gradient magnitude. Absolute thresholds are in the units of the
   * input's dtype (0..255 for uint8, 0..65535 for uint16, as-is for float); default 10% of the
   * dtype's maximum. With `useQuantiles` it is a quantile in [0, 1] of the magnitude; default 0.1.
   */
  lowThreshold?: number;
  /** Upper hysteresis bound, as `lowThreshold`; default 20% of the dtype's maximum (quantile 0.2). */
  highThreshold?: number;
  /** Treat the thresholds as quantiles of the gradient magnitude. Default false. */
  useQuantiles?: boolean;
  /** Border handling of the Gaussian smoothing. Default `constant` (scikit-image's default). */
  mode?: BoundaryMode;
  /** Value beyond the border in `constant` mode, in img_as_float units (0..1 for integer inputs). Default 0. */
  cval?: number;
}

/** Parameters checked and defaulted, thresholds still in the caller's units (see `cannyThresholds`). */
export interface ResolvedCannyParams {
  /** [rows (y), columns (x)], each > 0. */
  sigma: [number, number];
  lowThreshold: number | undefined;
  highThreshold: number | undefined;
  useQuantiles: boolean;
  mode: BoundaryMode;
  cval: number;
}

/** The double threshold as the engines apply it: in img_as_float units, or as quantiles in [0, 1]. */
export interface CannyThresholds {
  low: number;
  high: number;
  /** When true, `low` and `high` are quantiles; the engine turns them into magnitudes (np.percentile). */
  quantiles: boolean;
}

export const CANNY_DEFAULT_SIGMA = 1;
/** scikit-image's defaults as fractions of the dtype's maximum (or quantiles with `useQuantiles`). */
export const CANNY_DEFAULT_LOW = 0.1;
export const CANNY_DEFAULT_HIGH = 0.2;
export const CANNY_DEFAULT_MODE: BoundaryMode = 'constant';
/** The Gaussian is truncated at 4 sigma, as skimage.filters.gaussian (SciPy's default). */
export const CANNY_TRUNCATE = 4.0;
/** np.finfo(float).eps, added to the smoothed mask so that the division never meets zero. */
export const FLOAT64_EPSILON = 2.220446049250313e-16;
/** ndi.sobel's border mode, fixed by scikit-image whatever `mode` the smoothing uses. */
export const CANNY_SOBEL_MODE: BoundaryMode = 'reflect';
/** Width of the border ring the eroded mask removes (a 3x3 erosion of the all-ones mask, border 0). */
export const CANNY_BORDER = 1;

const PARAM_NAMES: readonly (keyof CannyParams)[] = ['sigma', 'lowThreshold', 'highThreshold', 'useQuantiles', 'mode', 'cval'];

/**
 * Checks and defaults what does not depend on the image: sigma > 0, finite thresholds, quantiles
 * in [0, 1], low <= high when both are given, a known mode, a finite cval. Unknown keys are errors.
 */
export function validateCannyParams(params: CannyParams = {}): ResolvedCannyParams {
  for (const key of Object.keys(params)) {
    if (!(PARAM_NAMES as readonly string[]).includes(key)) {
      throw new RangeError(`canny does not take ${key}; it takes ${PARAM_NAMES.join(', ')}`);
    }
  }
  const sigmaInput = params.sigma ?? CANNY_DEFAULT_SIGMA;
  const sigma: [number, number] =
    typeof sigmaInput === 'number' ? [sigmaInput, sigmaInput] : sigmaPair(sigmaInput);
  for (const s of sigma) {
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      throw new RangeError(`canny sigma must be a finite number > 0, got ${s}`);
    }
  }
  const useQuantiles = params.useQuantiles ?? false;
  if (typeof useQuantiles !== 'boolean') throw new TypeError(`canny useQuantiles must be true or false, got ${JSON.stringify(useQuantiles)}`);
  const low = checkThreshold('lowThreshold', params.lowThreshold, useQuantiles);
  const high = checkThreshold('highThreshold', params.highThreshold, useQuantiles);
  if (low !== undefined && high !== undefined && low > high) {
    throw new RangeError(`canny lowThreshold must be <= highThreshold, got low ${low} > high ${high}`);
  }
  const cval = params.cval ?? 0;
  if (typeof cval !== 'number' || !Number.isFinite(cval)) throw new RangeError(`canny cval must be a finite number, got ${cval}`);
  return {
    sigma,
    lowThreshold: low,
    highThreshold: high,
    useQuantiles,
    mode: validateMode(params.mode ?? CANNY_DEFAULT_MODE),
    cval,
  };
}

/**
 * The largest value of a dtype as scikit-image's `dtype_limits(image)[1]`: 255 for uint8, 65535
 * for uint16, 1 for float images (whose values are taken as they are).
 */
export function dtypeMax(dtype: DType): number {
  switch (dtype) {
    case 'uint8':
      return 255;
    case 'uint16':
      return 65535;
    case 'int16':
      return 32767;
    case 'int32':
      return 2147483647;
    case 'uint32':
      return 4294967295;
    case 'float32':
    case 'float64':
      return 1;
  }
}

/**
 * img_as_float's scale factor: the converted pixel is `x * imageScale(dtype)` (NumPy computes
 * `np.multiply(image, 1. / imax)`, not a division, and the engines do the same to match it bit for bit).
 */
export function imageScale(dtype: DType): number {
  return 1 / dtypeMax(dtype);
}

/**
 * The double threshold for an input of `dtype`, as `canny` computes it before smoothing: absolute
 * thresholds divided by the dtype's maximum, defaults 0.1 and 0.2; then `low <= high` is checked
 * again, since a given threshold may now exceed a default one.
 */
export function cannyThresholds(params: ResolvedCannyParams, dtype: DType): CannyThresholds {
  const scale = dtypeMax(dtype);
  const convert = (value: number | undefined, fallback: number) =>
    value === undefined ? fallback : params.useQuantiles ? value : value / scale;
  const low = convert(params.lowThreshold, CANNY_DEFAULT_LOW);
  const high = convert(params.highThreshold, CANNY_DEFAULT_HIGH);
  if (high < low) {
    const units = params.useQuantiles ? 'as quantiles' : `in img_as_float units (thresholds / ${scale} for ${dtype})`;
    throw new RangeError(`canny lowThreshold must be <= highThreshold, got low ${low} > high ${high} ${units}`);
  }
  return { low, high, quantiles: params.useQuantiles };
}

/**
 * np.percentile(values, 100 * q) with NumPy's default 'linear' method, on values already sorted
 * ascending. Reproduces NumPy 1.24's arithmetic: q = (100 q) / 100, virtual index (n - 1) q, and
 * `_lerp`, which interpolates from the upper neighbour when the fraction is >= 0.5.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, quantile: number): number {
  return percentileByRank(sorted.length, (rank) => sorted[rank], 100 * quantile);
}

function sigmaPair(value: readonly number[]): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new RangeError(`canny sigma must be a number or a pair [rows, columns], got ${JSON.stringify(value)}`);
  }
  return [value[0], value[1]];
}

function checkThreshold(name: string, value: number | undefined, quantile: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`canny ${name} must be a finite number, got ${value}`);
  if (quantile && !(value >= 0 && value <= 1)) {
    throw new RangeError(`canny ${name} must be a quantile in [0, 1] when useQuantiles is set, got ${value}`);
  }
  return value;
}

/** The double threshold as gradient magnitudes, ready to compare with (`magnitude >= low`). */
export interface MagnitudeThresholds {
  low: number;
  high: number;
}

/**
 * Turns `thresholds` into magnitudes: absolute ones pass through; quantiles become
 * `np.percentile(magnitude, [100 low, 100 high])` over every pixel (the border included, as in
 * scikit-image). Sorts a copy of `magnitude` only when quantiles are asked for.
 */
export function magnitudeThresholds(thresholds: CannyThresholds, magnitude: ArrayLike<number>): MagnitudeThresholds {
  if (!thresholds.quantiles) return { low: thresholds.low, high: thresholds.high };
  const sorted = Float64Array.from(magnitude).sort();
  return { low: percentileOfSorted(sorted, thresholds.low), high: percentileOfSorted(sorted, thresholds.high) };
}
