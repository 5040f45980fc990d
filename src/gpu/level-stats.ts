/**
 * Histograms and statistics of 8-bit and 16-bit images from their per-level pixel counts (counted
 * on the GPU). Folding levels into bins on the host with NumPy's float64 edges keeps the result
 * exactly numpy.histogram's, whatever the bin width (255/256 for the tutorial's 256 bins).
 */
import type { HistogramOptions, ImageStats } from '../engine.js';
import { histogramEdges } from '../cpu/statistics.js';

/**
 * `numpy.histogram(x, linspace(min, max, bins + 1))` given `counts[v]` = pixels at level v: each
 * level lands in bin i where edges[i] <= v < edges[i+1] (the last bin also takes v == max);
 * levels outside [min, max] are dropped.
 */
export function histogramFromLevels(counts: Uint32Array, options: HistogramOptions): Uint32Array {
  const { bins } = options;
  const edges = histogramEdges(options.min, options.max, bins);
  const first = edges[0];
  const last = edges[bins];
  const out = new Uint32Array(bins);
  let bin = 0;
  // Levels ascend, so the bin only moves forward: one walk over levels and edges.
  for (let v = Math.max(0, Math.ceil(first)); v < counts.length && v <= last; v++) {
    if (counts[v] === 0) continue;
    while (bin < bins - 1 && v >= edges[bin + 1]) bin++;
    out[bin] += counts[v];
  }
  return out;
}

/** NumPy's min, max, mean and median of the pixels counted in `counts` (at least one pixel). */
export function statsFromLevels(counts: Uint32Array): ImageStats {
  let n = 0;
  let sum = 0; // exact: at most 65535 * 2^32 < 2^53
  let min = -1;
  let max = -1;
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v];
    if (c === 0) continue;
    if (min < 0) min = v;
    max = v;
    n += c;
    sum += v * c;
  }
  if (n === 0) throw new RangeError('stats of an empty image are undefined');
  const valueAtRank = (rank: number): number => {
    let seen = 0;
    for (let v = min; v <= max; v++) {
      seen += counts[v];
      if (seen > rank) return v;
    }
    return max;
  };
  // numpy.median: the mean of the two middle values for an even count.
  const median = (valueAtRank((n - 1) >> 1) + valueAtRank(n >> 1)) / 2;
  return { min, max, mean: sum / n, median };
}
