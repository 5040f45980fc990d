/** The CPU engine against SciPy 1.10's float64 outputs for every case in test/golden/manifest.json. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { OP_NAMES } from '../../src/filters/ops.js';
import {
  allowedError,
  goldenHistogramCases,
  goldenOpCases,
  goldenStatsCases,
  loadGoldenExpected,
  loadGoldenImage,
  maxAbsDiff,
} from '../helpers/golden.js';

const engine = createCpuEngine();
afterAll(() => engine.dispose());

describe('cpu engine vs scipy.ndimage golden fixtures', () => {
  it('has fixtures for every op', () => {
    const ops = new Set(goldenOpCases().map((c) => c.request.op));
    // canny, resize and clahe have their own skimage/OpenCV goldens (test/golden/canny, resize, clahe).
    expect([...ops].sort()).toEqual(OP_NAMES.filter((op) => op !== 'canny' && op !== 'resize' && op !== 'clahe').sort());
  });

  for (const goldenCase of goldenOpCases()) {
    const how = goldenCase.tolerance === 0 ? 'exactly' : `within ${goldenCase.tolerance} of the range`;
    it(`matches SciPy ${how}: ${goldenCase.name}`, async () => {
      const input = loadGoldenImage(goldenCase.input);
      const expected = loadGoldenExpected(goldenCase);
      const [actual] = await engine.run(input, [goldenCase.request]);
      expect([actual.height, actual.width]).toEqual([expected.height, expected.width]);
      expect(actual.data).toBeInstanceOf(Float64Array);
      if (goldenCase.tolerance === 0) {
        expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
      } else {
        expect(maxAbsDiff(actual.data, expected.data)).toBeLessThanOrEqual(allowedError(goldenCase.tolerance, expected.data));
      }
    });
  }

  for (const goldenCase of goldenHistogramCases()) {
    it(`counts exactly like numpy.histogram: ${goldenCase.name}`, async () => {
      const counts = await engine.histogram(loadGoldenImage(goldenCase.input), goldenCase.histogram);
      expect(Array.from(counts)).toEqual(goldenCase.expectedCounts);
    });
  }

  for (const goldenCase of goldenStatsCases()) {
    it(`gives NumPy's min, max, median and mean (to 1e-12 relative): ${goldenCase.name}`, async () => {
      const stats = await engine.stats(loadGoldenImage(goldenCase.input));
      const want = goldenCase.expectedStats;
      expect(stats.min).toBe(want.min);
      expect(stats.max).toBe(want.max);
      expect(stats.median).toBe(want.median);
      expect(Math.abs(stats.mean - want.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(want.mean));
    });
  }
});
