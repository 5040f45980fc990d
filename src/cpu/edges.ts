/**
 * ndimage.sobel, ndimage.prewitt and ndimage.laplace on float64 images, in SciPy's order of passes:
 * the derivative along `axis` first, then the smoothing along the other axis applied to that
 * result (so in constant mode the second pass pads the derivative, not the input, with cval).
 * Each function writes into `output` when given (else a new array) and takes its intermediates
 * from `workspace` when given.
 */
import type { BoundaryMode } from '../filters/boundary.js';
import { type Axis, DERIVATIVE_WEIGHTS, type EdgeOperator, LAPLACE_WEIGHTS, smoothingWeights } from '../filters/edges.js';
import { correlate1d } from './correlate.js';
import { Workspace } from './workspace.js';

/** `ndimage.sobel(input, axis)` or `ndimage.prewitt(input, axis)` (unscaled). */
export function edgeFilter(
  operator: EdgeOperator,
  input: Float64Array,
  width: number,
  height: number,
  axis: Axis,
  mode: BoundaryMode,
  cval: number,
  output: Float64Array = new Float64Array(input.length),
  workspace: Workspace = new Workspace(),
): Float64Array {
  const derivative = correlate1d(input, width, height, DERIVATIVE_WEIGHTS, axis, mode, cval, workspace.acquire(input.length));
  const other: Axis = axis === 0 ? 1 : 0;
  correlate1d(derivative, width, height, smoothingWeights(operator), other, mode, cval, output);
  workspace.release(derivative);
  return output;
}

/** `ndimage.laplace(input)`: the second difference [1, -2, 1] along axis 0 plus along axis 1. */
export function laplace(
  input: Float64Array,
  width: number,
  height: number,
  mode: BoundaryMode,
  cval: number,
  output: Float64Array = new Float64Array(input.length),
  workspace: Workspace = new Workspace(),
): Float64Array {
  correlate1d(input, width, height, LAPLACE_WEIGHTS, 0, mode, cval, output);
  const along1 = correlate1d(input, width, height, LAPLACE_WEIGHTS, 1, mode, cval, workspace.acquire(input.length));
  for (let i = 0; i < output.length; i++) output[i] += along1[i];
  workspace.release(along1);
  return output;
}
