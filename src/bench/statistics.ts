/**
 * Summaries of repeated timings. A benchmark reports the median (robust to the odd slow run on a
 * shared machine) with the min and max beside it, and compares engines by ratios of medians, which
 * survive a machine that is uniformly slower than usual.
 */

/** n timed runs reduced to their median, min and max, in milliseconds. */
export interface Summary {
  n: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** The median of `values` (the mean of the two middle values when their count is even). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of zero values is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min and max of timings in milliseconds; every timing must be a finite number >= 0. */
export function summarize(samplesMs: readonly number[]): Summary {
  if (samplesMs.length === 0) throw new RangeError('cannot summarize zero timings');
  for (const value of samplesMs) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`timings must be finite and >= 0 ms, got ${value}`);
  }
  return { n: samplesMs.length, medianMs: median(samplesMs), minMs: Math.min(...samplesMs), maxMs: Math.max(...samplesMs) };
}

/**
 * How many times longer `slowerMs` takes than `fasterMs` (e.g. SciPy time / xray-gpu time: above 1
 * means xray-gpu is faster). Undefined when either side is missing or the divisor is 0.
 */
export function speedRatio(slowerMs: number | undefined, fasterMs: number | undefined): number | undefined {
  if (slowerMs === undefined || fasterMs === undefined || !(fasterMs > 0)) return undefined;
  return slowerMs / fasterMs;
}

/** Items per second when `count` items take `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  if (!(ms > 0)) throw new RangeError(`a rate needs a positive duration, got ${ms} ms`);
  return (count * 1000) / ms;
}
