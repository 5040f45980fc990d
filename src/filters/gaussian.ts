/**
 * Gaussian kernels as scipy.ndimage builds them (ndimage/_filters.py, _gaussian_kernel1d).
 * Both engines correlate with exactly these weights.
 */

export type GaussianOrder = 0 | 1 | 2 | 3;

export interface GaussianOptions {
  /** Kernel half-width is `int(truncate * sigma + 0.5)` unless `radius` is given. Default 4.0. */
  truncate?: number;
  /** Explicit kernel half-width (SciPy's `radius=`), overriding `truncate`. */
  radius?: number;
}

/** SciPy treats sigma at or below this as "no smoothing along this axis". */
export const SIGMA_EPSILON = 1e-15;

export function gaussianRadius(sigma: number, options: GaussianOptions = {}): number {
  if (options.radius !== undefined) {
    if (!Number.isInteger(options.radius) || options.radius < 0) {
      throw new RangeError(`radius must be a non-negative integer, got ${options.radius}`);
    }
    return options.radius;
  }
  const truncate = options.truncate ?? 4.0;
  if (!Number.isFinite(truncate) || truncate < 0) throw new RangeError(`truncate must be a finite number >= 0, got ${truncate}`);
  // Python's int() truncates toward zero.
  return Math.trunc(truncate * sigma + 0.5);
}

/**
 * The 1-D correlation weights of `gaussian_filter1d(sigma, order)`, length 2*radius+1, in float64.
 * phi(x) = exp(-x^2 / (2 sigma^2)) normalised to sum 1; derivatives multiply by the polynomial
 * q(x) built by SciPy's recurrence, and the result is reversed because SciPy correlates.
 */
export function gaussianKernel1d(sigma: number, order: GaussianOrder, radius: number): Float64Array {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be a finite number > 0, got ${sigma}`);
  if (![0, 1, 2, 3].includes(order)) throw new RangeError(`order must be 0, 1, 2 or 3, got ${order}`);
  const size = 2 * radius + 1;
  const sigma2 = sigma * sigma;
  const phi = new Float64Array(size);
  let sum = 0;
  for (let k = 0; k < size; k++) {
    const x = k - radius;
    phi[k] = Math.exp((-0.5 / sigma2) * (x * x));
    sum += phi[k];
  }
  for (let k = 0; k < size; k++) phi[k] /= sum;
  if (order === 0) return phi;

  // q(x) starts at 1; each order applies q'(x) + q(x) * (-x / sigma^2), i.e. the matrix
  // Q_deriv + P on the polynomial's coefficients (SciPy's exponent_range recurrence).
  let q = new Float64Array(order + 1);
  q[0] = 1;
  for (let step = 0; step < order; step++) {
    const next = new Float64Array(order + 1);
    for (let e = 0; e <= order; e++) {
      if (e + 1 <= order) next[e] += (e + 1) * q[e + 1]; // derivative of q
      if (e >= 1) next[e] += (-1 / sigma2) * q[e - 1]; // times -x / sigma^2
    }
    q = next;
  }
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const x = k - radius;
    let poly = 0;
    let xp = 1;
    for (let e = 0; e <= order; e++) {
      poly += q[e] * xp;
      xp *= x;
    }
    out[k] = poly * phi[k];
  }
  // SciPy returns weights[::-1] for correlation.
  return out.reverse();
}
