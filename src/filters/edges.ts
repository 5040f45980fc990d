/**
 * Sobel and Prewitt as scipy.ndimage defines them: a derivative [-1, 0, 1] along `axis` and a
 * smoothing piece along the other axis. Unscaled, as in SciPy. Axis 0 is rows (y), 1 is columns (x).
 */

export type Axis = 0 | 1;

export const DERIVATIVE_WEIGHTS: readonly number[] = [-1, 0, 1];
export const SOBEL_SMOOTHING: readonly number[] = [1, 2, 1];
export const PREWITT_SMOOTHING: readonly number[] = [1, 1, 1];
/** ndimage.laplace: the second difference [1, -2, 1] along each axis, summed. */
export const LAPLACE_WEIGHTS: readonly number[] = [1, -2, 1];

export type EdgeOperator = 'sobel' | 'prewitt';

export function smoothingWeights(operator: EdgeOperator): readonly number[] {
  return operator === 'sobel' ? SOBEL_SMOOTHING : PREWITT_SMOOTHING;
}

export function validateAxis(axis: unknown): Axis {
  if (axis === 0 || axis === 1) return axis;
  throw new RangeError(`axis must be 0 (rows) or 1 (columns), got ${JSON.stringify(axis)}`);
}
