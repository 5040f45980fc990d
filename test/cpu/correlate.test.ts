/** correlate1d: SciPy's documented results, and every boundary mode against boundaryIndex. */
import { describe, expect, it } from 'vitest';
import { correlate1d } from '../../src/cpu/correlate.js';
import { BOUNDARY_MODES, type BoundaryMode, boundaryIndex } from '../../src/filters/boundary.js';

/** The definition, pixel by pixel: sum_k w[k] * x[boundaryIndex(i + k - floor(len/2))]. */
function referenceRow(x: readonly number[], w: readonly number[], mode: BoundaryMode, cval: number): number[] {
  const c = Math.floor(w.length / 2);
  return x.map((_, i) =>
    w.reduce((sum, wk, k) => {
      const j = boundaryIndex(i + k - c, x.length, mode);
      return sum + wk * (j < 0 ? cval : x[j]);
    }, 0),
  );
}

describe('correlate1d', () => {
  it("reproduces SciPy's docstring example correlate1d([2, 8, 0, 4, 1, 9, 9, 0], [1, 3])", () => {
    const out = correlate1d(Float64Array.from([2, 8, 0, 4, 1, 9, 9, 0]), 8, 1, [1, 3], 1, 'reflect');
    expect(Array.from(out)).toEqual([8, 26, 8, 12, 7, 28, 36, 9]);
  });

  it('shifts a line by one with weights [1, 0, 0], showing each mode at the left edge', () => {
    const x = Float64Array.from([10, 20, 30, 40]);
    const shifted = (mode: BoundaryMode) => Array.from(correlate1d(x, 4, 1, [1, 0, 0], 1, mode, -5));
    expect(shifted('reflect')).toEqual([10, 10, 20, 30]);
    expect(shifted('mirror')).toEqual([20, 10, 20, 30]);
    expect(shifted('nearest')).toEqual([10, 10, 20, 30]);
    expect(shifted('constant')).toEqual([-5, 10, 20, 30]);
    expect(shifted('wrap')).toEqual([40, 10, 20, 30]);
  });

  // Kernels of length 1..11 on lines of length 1..5: wider than the line, so the extension repeats.
  for (const mode of BOUNDARY_MODES) {
    it(`matches the boundaryIndex definition in ${mode} mode, including kernels wider than the image`, () => {
      for (let n = 1; n <= 5; n++) {
        const x = Array.from({ length: n }, (_, i) => (i + 1) * (i % 2 ? -3.5 : 7));
        for (let len = 1; len <= 11; len++) {
          const kernels = [
            Array.from({ length: len }, (_, k) => k + 1), // general
            Array.from({ length: len }, (_, k) => 1 + Math.abs(k - (len - 1) / 2)), // symmetric when len is odd
            Array.from({ length: len }, (_, k) => k - (len - 1) / 2), // antisymmetric when len is odd
          ];
          for (const w of kernels) {
            const expected = referenceRow(x, w, mode, 2.25);
            const alongRows = correlate1d(Float64Array.from(x), n, 1, w, 1, mode, 2.25);
            const alongColumns = correlate1d(Float64Array.from(x), 1, n, w, 0, mode, 2.25);
            for (let i = 0; i < n; i++) {
              expect(alongRows[i]).toBeCloseTo(expected[i], 12);
              expect(alongColumns[i]).toBeCloseTo(expected[i], 12);
            }
          }
        }
      }
    });
  }

  it('gives the same result along axis 0 as along axis 1 of the transposed image', () => {
    const width = 6;
    const height = 4;
    const image = Float64Array.from({ length: width * height }, (_, i) => Math.sin(i * 1.7) * 100);
    const transposed = new Float64Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) transposed[x * height + y] = image[y * width + x];
    const w = [0.1, -0.4, 0.7, 0.2, 0.05];
    for (const mode of BOUNDARY_MODES) {
      const down = correlate1d(image, width, height, w, 0, mode, 3);
      const across = correlate1d(transposed, height, width, w, 1, mode, 3);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expect(down[y * width + x]).toBe(across[x * height + y]);
    }
  });

  it('writes into a given output buffer and returns it', () => {
    const output = new Float64Array(3);
    expect(correlate1d(Float64Array.from([1, 2, 3]), 3, 1, [1], 1, 'reflect', 0, output)).toBe(output);
    expect(Array.from(output)).toEqual([1, 2, 3]);
  });

  it('rejects an output that is the input, a size mismatch and empty weights, naming the problem', () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    expect(() => correlate1d(x, 2, 2, [1, 2, 1], 0, 'reflect', 0, x)).toThrow('correlate1d output must not be the input array');
    expect(() => correlate1d(x, 3, 2, [1], 0, 'reflect')).toThrow('correlate1d input has 4 values, expected 3x2 = 6');
    expect(() => correlate1d(x, 2, 2, [1], 0, 'reflect', 0, new Float64Array(3))).toThrow('correlate1d output has 3 values, expected 4');
    expect(() => correlate1d(x, 2, 2, [], 0, 'reflect')).toThrow('correlate1d weights must hold at least one value, got none');
  });
});
