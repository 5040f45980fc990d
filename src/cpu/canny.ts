/**
 * Canny edge detection on the CPU in float64, stage for stage as scikit-image 0.19's
 * `feature.canny` (see ../filters/canny.ts), with the same floating-point operations in the same
 * order so that edge maps match scikit-image exactly: SciPy's correlate1d (./correlate.ts),
 * glibc's hypot (./hypot.ts), NumPy's percentile and the octant interpolation of
 * `_get_local_maxima`. Hysteresis keeps the 8-connected components of weak pixels that hold a
 * strong one, found by a flood fill from the strong pixels.
 */
import {
  CANNY_SOBEL_MODE,
  CANNY_TRUNCATE,
  type CannyParams,
  FLOAT64_EPSILON,
  type ResolvedCannyParams,
  cannyThresholds,
  imageScale,
  magnitudeThresholds,
  validateCannyParams,
} from '../filters/canny.js';
import { type DType, type Image2D, dtypeOf } from '../image.js';
import { edgeFilter } from './edges.js';
import { gaussianFilter } from './gaussian.js';
import { glibcHypot } from './hypot.js';

/** Sobel gradients of the smoothed image and their magnitude, all row-major float64. */
export interface CannyGradients {
  /** `ndi.sobel(smoothed, axis=0)`: the derivative down the rows (y). */
  isobel: Float64Array;
  /** `ndi.sobel(smoothed, axis=1)`: the derivative along each row (x). */
  jsobel: Float64Array;
  magnitude: Float64Array;
}

/**
 * `skimage.feature.canny(image, ...)` as a 0/1 uint8 edge map. Integer images are scaled by
 * img_as_float (uint8 by 1/255, uint16 by 1/65535) and absolute thresholds are in the input's
 * units; float32 inputs are computed in float64 (scikit-image keeps float32, so ties may differ).
 * `dtype` names the type the pixels came from when `image` is already a float64 copy of them
 * (as in the CPU engine); it decides the scaling and the default thresholds.
 */
export function cannyCpu(image: Image2D, params: CannyParams = {}, dtype: DType = dtypeOf(image.data)): Image2D<Uint8Array> {
  const resolved = validateCannyParams(params);
  const { width, height } = image;
  const thresholds = cannyThresholds(resolved, dtype);

  const scale = imageScale(dtype);
  const input = new Float64Array(image.data.length);
  for (let i = 0; i < input.length; i++) input[i] = image.data[i] * scale;

  const smoothed = cannySmooth(input, width, height, resolved);
  const gradients = cannyGradients(smoothed, width, height);
  const maxima = nonMaximumSuppression(gradients, width, height);
  const { low, high } = magnitudeThresholds(thresholds, gradients.magnitude);
  return { width, height, data: hysteresis(maxima, gradients.magnitude, low, high, width, height) };
}

/**
 * scikit-image's `_preprocess` without a mask: Gaussian(image) / (Gaussian(ones) + eps), both
 * with the caller's mode and cval, so that in `constant` mode the zeros beyond the border do
 * not darken the image near its edge.
 */
export function cannySmooth(input: Float64Array, width: number, height: number, params: ResolvedCannyParams): Float64Array {
  const options = { mode: params.mode, cval: params.cval, truncate: CANNY_TRUNCATE };
  const smoothed = gaussianFilter(input, width, height, params.sigma, [0, 0], options);
  const bleedOver = gaussianFilter(new Float64Array(input.length).fill(1), width, height, params.sigma, [0, 0], options);
  for (let i = 0; i < smoothed.length; i++) smoothed[i] /= bleedOver[i] + FLOAT64_EPSILON;
  return smoothed;
}

/** `ndi.sobel` along both axes (SciPy's default `reflect` border) and `np.hypot` of the two. */
export function cannyGradients(smoothed: Float64Array, width: number, height: number): CannyGradients {
  const jsobel = edgeFilter('sobel', smoothed, width, height, 1, CANNY_SOBEL_MODE, 0);
  const isobel = edgeFilter('sobel', smoothed, width, height, 0, CANNY_SOBEL_MODE, 0);
  const magnitude = new Float64Array(smoothed.length);
  for (let i = 0; i < magnitude.length; i++) magnitude[i] = glibcHypot(isobel[i], jsobel[i]);
  return { isobel, jsobel, magnitude };
}

/**
 * `_get_local_maxima`: 1 where a pixel of the eroded mask (not on the 1-pixel border) with a
 * non-zero magnitude is at least as large as the magnitude interpolated on both sides along its
 * gradient. The gradient direction falls into one of four octant pairs; between the axis
 * neighbour c1 and the diagonal neighbour c2 the interpolation is `c2 * w + c1 * (1 - w)` with
 * w = |minor component| / |major component|.
 *
 * scikit-image assigns the octants one after another (0-45, 45-90, 90-135, 135-180 degrees) and a
 * pixel on an octant boundary (|isobel| == |jsobel|, or a zero component) takes the result of the
 * LAST octant it belongs to; testing them in reverse and stopping at the first match does the same.
 */
export function nonMaximumSuppression(gradients: CannyGradients, width: number, height: number): Uint8Array {
  const { isobel, jsobel, magnitude: m } = gradients;
  const maxima = new Uint8Array(width * height);
  for (let r = 1; r < height - 1; r++) {
    for (let c = 1; c < width - 1; c++) {
      const p = r * width + c;
      const mp = m[p];
      if (!(mp > 0)) continue;
      const gi = isobel[p];
      const gj = jsobel[p];
      const ai = Math.abs(gi);
      const aj = Math.abs(gj);
      const horizontal = ai >= aj;
      const vertical = ai <= aj;
      const mainDiagonal = (gi >= 0 && gj >= 0) || (gi <= 0 && gj <= 0); // is_up & is_right | is_down & is_left
      const antiDiagonal = (gi <= 0 && gj >= 0) || (gi >= 0 && gj <= 0); // is_down & is_right | is_up & is_left
      const up = p - width;
      const down = p + width;
      let keep: boolean;
      if (antiDiagonal && horizontal) {
        // 135-180 degrees: rows above/below, mixed with the anti-diagonal.
        keep = notBelow(mp, m[up], m[up + 1], m[down], m[down - 1], aj / ai);
      } else if (antiDiagonal && vertical) {
        // 90-135 degrees: columns right/left, mixed with the anti-diagonal.
        keep = notBelow(mp, m[p + 1], m[up + 1], m[p - 1], m[down - 1], ai / aj);
      } else if (mainDiagonal && vertical) {
        // 45-90 degrees: columns right/left, mixed with the diagonal.
        keep = notBelow(mp, m[p + 1], m[down + 1], m[p - 1], m[up - 1], ai / aj);
      } else {
        // 0-45 degrees: rows below/above, mixed with the diagonal.
        keep = notBelow(mp, m[down], m[down + 1], m[up], m[up - 1], aj / ai);
      }
      maxima[p] = keep ? 1 : 0;
    }
  }
  return maxima;
}

/** `_set_local_maxima`'s test on both sides: (c2 w + c1 (1 - w) <= m) for the plus and the minus side. */
function notBelow(m: number, c1Plus: number, c2Plus: number, c1Minus: number, c2Minus: number, w: number): boolean {
  return c2Plus * w + c1Plus * (1 - w) <= m && c2Minus * w + c1Minus * (1 - w) <= m;
}

/**
 * Double threshold and hysteresis: local maxima with magnitude >= `low` are weak edges, those
 * with magnitude >= `high` strong ones; the result keeps every weak pixel 8-connected to a strong
 * one through weak pixels (scikit-image labels the weak mask with `ndi.label` and a 3x3
 * structure, then keeps the labels that contain a strong pixel: the same set).
 */
export function hysteresis(
  maxima: Uint8Array,
  magnitude: ArrayLike<number>,
  low: number,
  high: number,
  width: number,
  height: number,
): Uint8Array {
  const edges = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  const isWeak = (p: number) => maxima[p] === 1 && magnitude[p] >= low;
  for (let p = 0; p < edges.length; p++) {
    if (maxima[p] === 1 && magnitude[p] >= high && magnitude[p] >= low) {
      edges[p] = 1;
      stack[top++] = p;
    }
  }
  while (top > 0) {
    const p = stack[--top];
    const r = (p / width) | 0;
    const c = p - r * width;
    for (let dr = -1; dr <= 1; dr++) {
      const rr = r + dr;
      if (rr < 0 || rr >= height) continue;
      for (let dc = -1; dc <= 1; dc++) {
        const cc = c + dc;
        if (cc < 0 || cc >= width) continue;
        const q = rr * width + cc;
        if (edges[q] === 0 && isWeak(q)) {
          edges[q] = 1;
          stack[top++] = q;
        }
      }
    }
  }
  return edges;
}
