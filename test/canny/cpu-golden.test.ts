import { describe, expect, it } from 'vitest';
import { cannyCpu } from '../../src/cpu/canny.js';
import { cannyCases, loadNpyImage } from './fixtures.js';

function differingPixels(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

describe('cannyCpu against scikit-image 0.19 goldens', () => {
  for (const testCase of cannyCases()) {
    const label = `${testCase.name} (${testCase.dtype}, ${JSON.stringify(testCase.params)})`;
    it(`reproduces skimage.feature.canny bit for bit on ${label}`, () => {
      const input = loadNpyImage(testCase.input);
      const expected = loadNpyImage(testCase.edges);
      const edges = cannyCpu(input, testCase.params);
      expect([edges.width, edges.height]).toEqual([expected.width, expected.height]);
      expect(edges.data).toBeInstanceOf(Uint8Array);
      const differing = differingPixels(edges.data, expected.data);
      if (testCase.edgesWithJsWeights === undefined) {
        expect(differing, `pixels differing from skimage (${testCase.edgeCount} edge pixels)`).toBe(0);
        return;
      }
      // A tie-dominated case: skimage itself flips ties when its Gaussian weights move by one ulp.
      // The engine must equal skimage exactly, or skimage run with Math.exp's weights exactly.
      const withJsWeights = loadNpyImage(testCase.edgesWithJsWeights);
      const differingFromJsWeights = differingPixels(edges.data, withJsWeights.data);
      expect(
        differing === 0 || differingFromJsWeights === 0,
        `differs from skimage in ${differing} pixels and from skimage-with-Math.exp-weights in ${differingFromJsWeights}`,
      ).toBe(true);
    });
  }

  it('gives the same edges for a float64 copy of a uint8 image when told the pixels were uint8', () => {
    const input = loadNpyImage('noisy_square_u8.input.npy');
    const copy = { width: input.width, height: input.height, data: Float64Array.from(input.data) };
    expect(Array.from(cannyCpu(copy, { sigma: 2 }, 'uint8').data)).toEqual(Array.from(cannyCpu(input, { sigma: 2 }).data));
    // Taken as float64 the same numbers are 255 times brighter, so the edges change.
    expect(Array.from(cannyCpu(copy, { sigma: 2 }).data)).not.toEqual(Array.from(cannyCpu(input, { sigma: 2 }).data));
  });

  it('leaves the 1-pixel border of every golden case free of edges, as the eroded mask demands', () => {
    for (const testCase of cannyCases()) {
      const { width, height, data } = cannyCpu(loadNpyImage(testCase.input), testCase.params);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (y === 0 || x === 0 || y === height - 1 || x === width - 1) expect(data[y * width + x], `${testCase.name} at (${y}, ${x})`).toBe(0);
        }
      }
    }
  });
});
