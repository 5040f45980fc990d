/**
 * Gaussian filters of scipy.ndimage (_filters.py) on float64 images, composed from correlate1d
 * exactly as SciPy composes them, so that results match operation for operation.
 * Each function writes into `output` when given (else a new array) and takes its intermediates
 * from `workspace` when given.
 */
import type { BoundaryMode } from '../filters/boundary.js';
import type { Axis } from '../filters/edges.js';
import { type GaussianOptions, type GaussianOrder, SIGMA_EPSILON, gaussianKernel1d, gaussianRadius } from '../filters/gaussian.js';
import { correlate1d, correlateBothAxes } from './correlate.js';
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
  const weights = gaussianKernel1d(sigma, order, gaussianRadius(sigma, options));
  return correlate1d(input, width, height, weights, axis, options.mode, options.cval, output);
}

/**
 * `gaussian_filter(input, sigma, order)` with per-axis sigma and order ([rows, columns]): one 1-D
 * pass per axis, axis 0 first (chained row by row: see correlateBothAxes). An axis with sigma <= 1e-15 is skipped, its order included, as
 * SciPy does; with both skipped the result is a copy of the input.
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
  const [weights0, weights1] = ([0, 1] as const).map((axis) => gaussianKernel1d(sigma[axis], order[axis], gaussianRadius(sigma[axis], options)));
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
  gaussianFilter(input, width, height, sigma, [2, 0], options, output, workspace);
  const along1 = gaussianFilter(input, width, height, sigma, [0, 2], options, workspace.acquire(input.length), workspace);
  for (let i = 0; i < output.length; i++) output[i] += along1[i];
  workspace.release(along1);
  return output;
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
  gaussianFilter(input, width, height, sigma, [1, 0], options, output, workspace);
  const along1 = gaussianFilter(input, width, height, sigma, [0, 1], options, workspace.acquire(input.length), workspace);
  // SciPy squares in place, adds, then takes the square root: same order here.
  for (let i = 0; i < output.length; i++) {
    const a = output[i] * output[i];
    const b = along1[i] * along1[i];
    output[i] = Math.sqrt(a + b);
  }
  workspace.release(along1);
  return output;
}
