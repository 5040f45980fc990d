/**
 * `numpy.percentile(x, q)` with NumPy 1.24's default 'linear' method, given the values by rank
 * (ascending), so sorted arrays and per-level pixel counts share one arithmetic.
 */

/**
 * The `quantile` (0..1) of `n` values whose rank r (0-based, ascending) is `valueAtRank(r)`.
 * Reproduces NumPy 1.24: virtual index (n - 1) q, and `_lerp`, which interpolates from the upper
 * neighbour when the fraction is >= 0.5.
 */
export function quantileByRank(n: number, valueAtRank: (rank: number) => number, quantile: number): number {
  if (n === 0) throw new RangeError('percentile of an empty array is undefined');
  const virtualIndex = (n - 1) * quantile;
  if (virtualIndex >= n - 1) return valueAtRank(n - 1);
  if (virtualIndex < 0) return valueAtRank(0);
  const previous = Math.floor(virtualIndex);
  const a = valueAtRank(previous);
  const b = valueAtRank(previous + 1);
  const t = virtualIndex - previous;
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

/** `numpy.percentile(x, percent)`: NumPy divides the percent by 100 first, as here. */
export function percentileByRank(n: number, valueAtRank: (rank: number) => number, percent: number): number {
  return quantileByRank(n, valueAtRank, percent / 100);
}
