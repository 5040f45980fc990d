/**
 * The GPU engine against SciPy 1.10's float64 outputs (test/golden/manifest.json): every op case
 * within 1e-4 of the expected range (the CPU engine is held to the manifest's 1e-9), binary masks,
 * histograms and statistics exactly. The cases of one input run as one engine call.
 */
import { describe, expect } from 'vitest';
import { OP_NAMES } from '../../src/filters/ops.js';
import {
  type GoldenOpCase,
  allowedError,
  goldenHistogramCases,
  goldenOpCases,
  goldenStatsCases,
  loadGoldenExpected,
  loadGoldenImage,
  maxAbsDiff,
} from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';

/** float32 arithmetic: the GPU's tolerance, relative to max(1, range of the expected output). */
const GPU_TOLERANCE = 1e-4;

const gpu = useGpuEngine();

function byInput(cases: GoldenOpCase[]): Map<string, GoldenOpCase[]> {
  const groups = new Map<string, GoldenOpCase[]>();
  for (const c of cases) groups.set(c.input, [...(groups.get(c.input) ?? []), c]);
  return groups;
}

describe('gpu engine vs scipy.ndimage golden fixtures', () => {
  gpu.it('has fixtures for every op', async () => {
    expect([...new Set(goldenOpCases().map((c) => c.request.op))].sort()).toEqual(OP_NAMES.filter((op) => op !== 'canny' && op !== 'resize' && op !== 'clahe').sort()); // canny: test/canny/gpu.test.ts; resize, clahe: test/resize/
  });

  for (const [input, cases] of byInput(goldenOpCases())) {
    gpu.it(`matches SciPy within ${GPU_TOLERANCE} of the range on all ${cases.length} op cases of ${input}`, async ({ engine }) => {
      const image = loadGoldenImage(input);
      const outputs = await engine.run(image, cases.map((c) => c.request));
      const failures: string[] = [];
      cases.forEach((goldenCase, i) => {
        const expected = loadGoldenExpected(goldenCase);
        const actual = outputs[i];
        if (actual.width !== expected.width || actual.height !== expected.height) {
          failures.push(`${goldenCase.name}: size ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height}`);
          return;
        }
        // Binary masks hold 0 and 1 only: any difference is a wrong comparison, not rounding.
        const allowed = goldenCase.request.op === 'mask-binary' ? 0 : allowedError(Math.max(goldenCase.tolerance, GPU_TOLERANCE), expected.data);
        const error = maxAbsDiff(actual.data, expected.data);
        if (!(error <= allowed)) failures.push(`${goldenCase.name}: max error ${error} > ${allowed}`);
      });
      expect(failures).toEqual([]);
    });
  }

  gpu.it(`counts exactly like numpy.histogram on all ${goldenHistogramCases().length} histogram cases`, async ({ engine }) => {
    for (const goldenCase of goldenHistogramCases()) {
      const counts = await engine.histogram(loadGoldenImage(goldenCase.input), goldenCase.histogram);
      expect(Array.from(counts), goldenCase.name).toEqual(goldenCase.expectedCounts);
    }
  });

  gpu.it(`gives NumPy's min, max, median exactly and the mean to 1e-12 on all ${goldenStatsCases().length} stats cases`, async ({ engine }) => {
    for (const goldenCase of goldenStatsCases()) {
      const stats = await engine.stats(loadGoldenImage(goldenCase.input));
      const want = goldenCase.expectedStats;
      expect([stats.min, stats.max, stats.median], goldenCase.name).toEqual([want.min, want.max, want.median]);
      expect(Math.abs(stats.mean - want.mean), goldenCase.name).toBeLessThanOrEqual(1e-12 * Math.abs(want.mean));
    }
  });
});
