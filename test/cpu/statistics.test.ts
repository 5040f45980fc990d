/** imageStats on float images (filter outputs): the median by linear-time selection, NaN as NumPy. */
import { describe, expect, it } from 'vitest';
import { imageStats } from '../../src/cpu/statistics.js';

/** NumPy's median, by sorting: the reference for the selection-based one. */
function sortedMedian(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return (sorted[(n - 1) >> 1] + sorted[n >> 1]) / 2;
}

describe('imageStats of float images', () => {
  it('gives the same min, max, mean and median as sorting, for odd and even counts, ties and negative values', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cases: Float64Array[] = [
      Float64Array.of(3),
      Float64Array.of(2, 1),
      Float64Array.from({ length: 1001 }, () => random() * 200 - 100),
      Float64Array.from({ length: 1000 }, () => Math.floor(random() * 3)), // mostly ties, like a mask
      Float64Array.from({ length: 4096 }, (_, i) => (i < 3000 ? 0 : random())), // a mask with values kept
      Float64Array.from({ length: 999 }, (_, i) => 999 - i), // descending
      new Float64Array(64), // constant
    ];
    for (const values of cases) {
      const stats = imageStats(values);
      expect(stats.median, `median of ${values.length} values`).toBe(sortedMedian(values));
      expect(stats.min).toBe(Math.min(...values));
      expect(stats.max).toBe(Math.max(...values));
      expect(stats.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
    }
    expect(imageStats(Float32Array.of(1.5, 0.25, 2)).median).toBe(1.5);
  });

  it('is NaN throughout when any value is NaN (as NumPy), and refuses an empty image', () => {
    expect(imageStats(Float64Array.of(1, NaN, 2))).toEqual({ min: NaN, max: NaN, mean: NaN, median: NaN });
    expect(() => imageStats(new Float64Array(0))).toThrow('stats of an empty image are undefined');
  });
});
