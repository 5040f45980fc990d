/**
 * correlate1d's WebAssembly SIMD kernel loop against the scalar loop: bit-identical results (not
 * merely close) for every boundary mode, both axes, symmetric and antisymmetric kernels from one tap
 * to wider than the image, and sizes on and off the kernel's 8-output blocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { correlate1d, correlateBothAxes, correlateTwoTerms } from '../../src/cpu/correlate.js';
import { gaussianGradientMagnitude, gaussianLaplace } from '../../src/cpu/gaussian.js';
import { Workspace } from '../../src/cpu/workspace.js';
import { cpuSimdActive, setCpuSimd } from '../../src/wasm/kernel.js';
import { BOUNDARY_MODES } from '../../src/filters/boundary.js';
import { gaussianKernel1d } from '../../src/filters/gaussian.js';

/** Deterministic values with fractions and both signs, so sums depend on their order. */
function image(width: number, height: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: width * height }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.3) * 1000;
  });
}

function kernels(): { name: string; weights: number[] }[] {
  const list = [
    { name: 'one tap', weights: [0.7] },
    { name: 'sobel smoothing [1, 2, 1]', weights: [1, 2, 1] },
    { name: 'sobel derivative [-1, 0, 1]', weights: [-1, 0, 1] },
  ];
  for (const [sigma, order] of [[0.6, 0], [1, 2], [2, 1], [2, 0], [5, 0]] as const) {
    list.push({ name: `gaussian sigma ${sigma} order ${order}`, weights: Array.from(gaussianKernel1d(sigma, order, Math.round(4 * sigma))) });
  }
  return list;
}

/** correlate1d's result with the SIMD kernel on or off. */
function run(simd: boolean, ...args: Parameters<typeof correlate1d>): Float64Array {
  setCpuSimd(simd);
  return correlate1d(...args);
}

describe('correlate1d SIMD kernel', () => {
  afterEach(() => setCpuSimd(true));

  it('is active in this Node (WebAssembly SIMD is part of Node 20)', () => {
    expect(cpuSimdActive()).toBe(true);
    setCpuSimd(false);
    expect(cpuSimdActive()).toBe(false);
  });

  const sizes = [[1, 1], [1, 9], [9, 1], [7, 3], [8, 8], [17, 2], [37, 53], [64, 5], [131, 4]] as const;
  for (const mode of BOUNDARY_MODES) {
    it(`equals the scalar loop bit for bit in ${mode} mode`, () => {
      let compared = 0;
      for (const [width, height] of sizes) {
        const input = image(width, height, width * 31 + height);
        for (const { name, weights } of kernels()) {
          for (const axis of [0, 1] as const) {
            const simd = run(true, input, width, height, weights, axis, mode, -2.5);
            const scalar = run(false, input, width, height, weights, axis, mode, -2.5);
            const where = `${name}, axis ${axis}, ${width}x${height}`;
            expect(simd.length, where).toBe(scalar.length);
            for (let i = 0; i < scalar.length; i++) {
              // Object.is also tells -0 from 0.
              if (!Object.is(simd[i], scalar[i])) expect.fail(`${where}: pixel ${i} is ${simd[i]} with SIMD, ${scalar[i]} without`);
            }
            compared += scalar.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(10000);
    });
  }

  for (const mode of BOUNDARY_MODES) {
    it(`chains both axes row by row (correlateBothAxes) bit for bit as two scalar passes in ${mode} mode`, () => {
      const all = kernels();
      const pairs = [
        [all[3], all[4]], // gaussian sigma 0.6 order 0 then sigma 1 order 2
        [all[6], all[5]], // sigma 2 order 0 then sigma 2 order 1 (antisymmetric second)
        [all[2], all[1]], // sobel derivative down, smoothing across
        [all[7], all[0]], // sigma 5 (wider than the small images) then one tap
        [{ name: 'general [1, 3]', weights: [1, 3] }, all[4]], // not symmetric: the fallback path
      ];
      for (const [width, height] of sizes) {
        const input = image(width, height, width * 7 + height);
        for (const [down, across] of pairs) {
          const fused = correlateBothAxes(input, width, height, down.weights, across.weights, mode, 1.5, new Float64Array(input.length), new Workspace());
          setCpuSimd(false);
          const along0 = correlate1d(input, width, height, down.weights, 0, mode, 1.5);
          const scalar = correlate1d(along0, width, height, across.weights, 1, mode, 1.5);
          setCpuSimd(true);
          const where = `${down.name} then ${across.name}, ${width}x${height}`;
          for (let i = 0; i < scalar.length; i++) {
            if (!Object.is(fused[i], scalar[i])) expect.fail(`${where}: pixel ${i} is ${fused[i]} chained, ${scalar[i]} in two passes`);
          }
        }
      }
    });
  }

  for (const mode of BOUNDARY_MODES) {
    it(`computes gaussian_laplace and gaussian_gradient_magnitude's two terms together bit for bit as the scalar path in ${mode} mode`, () => {
      for (const [width, height] of sizes) {
        const input = image(width, height, width * 13 + height);
        for (const sigma of [[1, 1], [0.7, 2.5], [3, 0.5]] as const) {
          for (const filter of [gaussianLaplace, gaussianGradientMagnitude]) {
            const options = { mode, cval: -1.25, truncate: 4 };
            const simd = filter(input, width, height, sigma, options);
            setCpuSimd(false);
            const scalar = filter(input, width, height, sigma, options);
            setCpuSimd(true);
            const where = `${filter.name} sigma ${sigma.join(',')}, ${width}x${height}`;
            for (let i = 0; i < scalar.length; i++) {
              if (!Object.is(simd[i], scalar[i])) expect.fail(`${where}: pixel ${i} is ${simd[i]} with SIMD, ${scalar[i]} without`);
            }
          }
        }
      }
    });
  }

  it('combines two terms whose down kernels differ in length through the plain route, same result', () => {
    const [width, height] = [37, 53];
    const input = image(width, height, 99);
    const difference = (a: Float64Array, aStart: number, b: Float64Array, bStart: number, out: Float64Array, outStart: number, length: number) => {
      for (let i = 0; i < length; i++) out[outStart + i] = a[aStart + i] - b[bStart + i];
    };
    const smooth5 = [1, 4, 6, 4, 1];
    const out = correlateTwoTerms(input, width, height, [[1, 2, 1], [-1, 0, 1]], [smooth5, [1, 2, 1]], 'mirror', 0, difference, new Float64Array(input.length), new Workspace());
    setCpuSimd(false);
    const first = correlate1d(correlate1d(input, width, height, [1, 2, 1], 0, 'mirror'), width, height, [-1, 0, 1], 1, 'mirror');
    const second = correlate1d(correlate1d(input, width, height, smooth5, 0, 'mirror'), width, height, [1, 2, 1], 1, 'mirror');
    expect(Array.from(out)).toEqual(Array.from(first, (v, i) => v - second[i]));
  });

  it('grows its memory for a wide image after a narrow one and stays exact', () => {
    for (const width of [3, 2500, 5]) {
      const input = image(width, 4, width);
      const weights = Array.from(gaussianKernel1d(3, 1, 12));
      expect(run(true, input, width, 4, weights, 0, 'mirror')).toEqual(run(false, input, width, 4, weights, 0, 'mirror'));
      expect(run(true, input, width, 4, weights, 1, 'wrap')).toEqual(run(false, input, width, 4, weights, 1, 'wrap'));
    }
  });
});
