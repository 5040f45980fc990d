/**
 * ndimage.sobel, ndimage.prewitt and ndimage.laplace on float64 images, in SciPy's order of passes:
 * the derivative along `axis` first, then the smoothing along the other axis applied to that
 * result (so in constant mode the second pass pads the derivative, not the input, with cval).
 */
import type { BoundaryMode } from '../filters/boundary.js';
import { type Axis, DERIVATIVE_WEIGHTS, type EdgeOperator, LAPLACE_WEIGHTS, smoothingWeights } from '../filters/edges.js';
import { correlate1d } from './correlate.js';

/** `ndimage.sobel(input, axis)` or `ndimage.prewitt(input, axis)` (unscaled). */
export function edgeFilter(
  operator: EdgeOperator,
  input: Float64Array,
  width: number,
  height: number,
  axis: Axis,
  mode: BoundaryMode,
  cval: number,
): Float64Array {
  const derivative = correlate1d(input, width, height, DERIVATIVE_WEIGHTS, axis, mode, cval);
  const other: Axis = axis === 0 ? 1 : 0;
  return correlate1d(derivative, width, height, smoothingWeights(operator), other, mode, cval);
}

/** `ndimage.laplace(input)`: the second difference [1, -2, 1] along axis 0 plus along axis 1. */
export function laplace(input: Float64Array, width: number, height: number, mode: BoundaryMode, cval: number): Float64Array {
  const output = correlate1d(input, width, height, LAPLACE_WEIGHTS, 0, mode, cval);
  const along1 = correlate1d(input, width, height, LAPLACE_WEIGHTS, 1, mode, cval);
  for (let i = 0; i < output.length; i++) output[i] += along1[i];
  return output;
}
