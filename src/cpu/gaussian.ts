/**
 * Gaussian filters of scipy.ndimage (_filters.py) on float64 images, composed from correlate1d
 * exactly as SciPy composes them, so that results match operation for operation.
 * Each function writes into `output` when given (else a new array) and takes its intermediates
 * from `workspace` when given.
 */
import type { BoundaryMode } from '../filters/boundary.js';
import type { Axis } from '../filters/edges.js';
import { type GaussianOptions, type GaussianOrder, SIGMA_EPSILON, gaussianKernel1d, gaussianRadius } from '../filters/gaussian.js';
import { type CombineRows, correlate1d, correlateBothAxes, correlateTwoTerms } from './correlate.js';
import { Workspace } from './workspace.js';

/** Boundary handling and kernel size shared by every Gaussian filter. */
export interface GaussianFilterOptions extends GaussianOptions {
  mode: BoundaryMode;
  cval: number;
}

/** `gaussian_filter1d(input, sigma, axis, order, mode=, cval=, truncate=, radius=)`. */
export function gaussianFilter1d(
  input: Float64Array,
  width: number,
  height: number,
  sigma: number,
  axis: Axis,
  order: GaussianOrder,
  options: GaussianFilterOptions,
  output?: Float64Array,
): Float64Array {
  return correlate1d(input, width, height, gaussianWeights(sigma, order, options), axis, options.mode, options.cval, output);
}

/** The 1-D kernel gaussian_filter1d correlates with: `_gaussian_kernel1d` over the options' radius. */
function gaussianWeights(sigma: number, order: GaussianOrder, options: GaussianOptions): Float64Array {
  return gaussianKernel1d(sigma, order, gaussianRadius(sigma, options));
}

/** The [axis 0, axis 1] kernels of a gaussian_filter with per-axis sigma and order. */
function gaussianWeightsPerAxis(
  sigma: readonly [number, number],
  order: readonly [GaussianOrder, GaussianOrder],
  options: GaussianOptions,
): [Float64Array, Float64Array] {
  return [gaussianWeights(sigma[0], order[0], options), gaussianWeights(sigma[1], order[1], options)];
}

/**
 * `gaussian_filter(input, sigma, order)` with per-axis sigma and order ([rows, columns]): one 1-D
 * pass per axis, axis 0 first (chained row by row: see correlateBothAxes). An axis with
 * sigma <= 1e-15 is skipped, its order included, as SciPy does; with both skipped the result is a
 * copy of the input.
 */
export function gaussianFilter(
  input: Float64Array,
  width: number,
  height: number,
  sigma: readonly [number, number],
  order: readonly [GaussianOrder, GaussianOrder],
  options: GaussianFilterOptions,
  output: Float64Array = new Float64Array(input.length),
  workspace: Workspace = new Workspace(),
): Float64Array {
  const axes = ([0, 1] as const).filter((axis) => sigma[axis] > SIGMA_EPSILON);
  if (axes.length === 0) {
    output.set(input);
    return output;
  }
  if (axes.length === 1) return gaussianFilter1d(input, width, height, sigma[axes[0]], axes[0], order[axes[0]], options, output);
  const [weights0, weights1] = gaussianWeightsPerAxis(sigma, order, options);
  return correlateBothAxes(input, width, height, weights0, weights1, options.mode, options.cval, output, workspace);
}

/** `gaussian_laplace(input, sigma)`: the order-2 Gaussian along axis 0 plus the one along axis 1. */
export function gaussianLaplace(
  input: Float64Array,
  width: number,
  height: number,
  sigma: readonly [number, number],
  options: GaussianFilterOptions,
  output: Float64Array = new Float64Array(input.length),
  workspace: Workspace = new Workspace(),
): Float64Array {
  return combinedGaussians(input, width, height, sigma, [[2, 0], [0, 2]], sumOfTerms, options, output, workspace);
}

/** `gaussian_gradient_magnitude(input, sigma)`: sqrt of the summed squared order-1 Gaussians. */
export function gaussianGradientMagnitude(
  input: Float64Array,
  width: number,
  height: number,
  sigma: readonly [number, number],
  options: GaussianFilterOptions,
  output: Float64Array = new Float64Array(input.length),
  workspace: Workspace = new Workspace(),
): Float64Array {
  return combinedGaussians(input, width, height, sigma, [[1, 0], [0, 1]], rootSumOfSquares, options, output, workspace);
}

/** gaussian_laplace's combination: the first term plus the second. */
const sumOfTerms: CombineRows = (a, aStart, b, bStart, out, outStart, length) => {
  for (let i = 0; i < length; i++) out[outStart + i] = a[aStart + i] + b[bStart + i];
};

/** gaussian_gradient_magnitude's: SciPy squares each term, adds, then takes the square root; same order here. */
const rootSumOfSquares: CombineRows = (a, aStart, b, bStart, out, outStart, length) => {
  for (let i = 0; i < length; i++) {
    const first = a[aStart + i] * a[aStart + i];
    const second = b[bStart + i] * b[bStart + i];
    out[outStart + i] = Math.sqrt(first + second);
  }
};

/**
 * Two `gaussianFilter` results of the input with the given orders, combined pixel by pixel, as
 * SciPy's generic_laplace / generic_gradient_magnitude build gaussian_laplace and
 * gaussian_gradient_magnitude. With both axes filtered the terms are computed together
 * (correlateTwoTerms); an axis skipped for a tiny sigma takes the plain route.
 */
function combinedGaussians(
  input: Float64Array,
  width: number,
  height: number,
  sigma: readonly [number, number],
  orders: readonly [readonly [GaussianOrder, GaussianOrder], readonly [GaussianOrder, GaussianOrder]],
  combine: CombineRows,
  options: GaussianFilterOptions,
  output: Float64Array,
  workspace: Workspace,
): Float64Array {
  if (sigma[0] > SIGMA_EPSILON && sigma[1] > SIGMA_EPSILON) {
    const first = gaussianWeightsPerAxis(sigma, orders[0], options);
    const second = gaussianWeightsPerAxis(sigma, orders[1], options);
    return correlateTwoTerms(input, width, height, first, second, options.mode, options.cval, combine, output, workspace);
  }
  gaussianFilter(input, width, height, sigma, orders[0], options, output, workspace);
  const second = gaussianFilter(input, width, height, sigma, orders[1], options, workspace.acquire(input.length), workspace);
  combine(output, 0, second, 0, output, 0, output.length);
  workspace.release(second);
  return output;
}
