import { afterAll, describe, expect, it } from 'vitest';
import { cannyCpu, cannyGradients, cannySmooth } from '../../src/cpu/canny.js';
import { percentileOfSorted, validateCannyParams } from '../../src/filters/canny.js';
import { BufferPool } from '../../src/gpu/buffer-pool.js';
import { type GpuCannyContext, cannyGpu, float32AtLeast } from '../../src/gpu/canny.js';
import type { Image2D } from '../../src/image.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { cannyCases, edgeAgreement, loadNpyImage } from './fixtures.js';

// Canny on the GPU runs in float32. Where skimage's own result does not change when it computes
// in float32 (pixelsChangedByFloat32 = 0 in the manifest), the GPU must match it exactly; the
// other cases are built from exact ties (a perfect square, a linear ramp) that any change of
// rounding breaks differently, and there the GPU may differ by as much as float32 skimage does,
// with a factor 2 of margin since the GPU sums in a different order.
const TIE_MARGIN = 2;

const gpu = useGpuEngine();
let pool: BufferPool | undefined;
function context(device: GPUDevice): GpuCannyContext {
  pool ??= new BufferPool(device, device.limits.maxBufferSize);
  return { device, pool };
}
afterAll(() => pool?.destroy());

const cases = cannyCases();
const robust = cases.filter((c) => c.pixelsChangedByFloat32 === 0);
const tieDominated = cases.filter((c) => c.pixelsChangedByFloat32 > 0);

describe('cannyGpu against scikit-image 0.19 goldens', () => {
  for (const testCase of robust) {
    gpu.it(`matches skimage exactly on ${testCase.name}, which skimage computes identically in float32`, async ({ device }) => {
      const input = loadNpyImage(testCase.input);
      const { edges } = await cannyGpu(context(device), input, testCase.params);
      expect([edges.width, edges.height]).toEqual([input.width, input.height]);
      expect(edgeAgreement(edges.data, loadNpyImage(testCase.edges).data as Uint8Array).differing).toBe(0);
    });
  }

  for (const testCase of tieDominated) {
    gpu.it(`differs from skimage on the tie-dominated ${testCase.name} by at most ${TIE_MARGIN}x the ${testCase.pixelsChangedByFloat32} pixels float32 skimage changes`, async ({ device }) => {
      const input = loadNpyImage(testCase.input);
      const { edges } = await cannyGpu(context(device), input, testCase.params);
      const vsSkimage = edgeAgreement(edges.data, loadNpyImage(testCase.edges).data as Uint8Array);
      const vsCpu = edgeAgreement(edges.data, cannyCpu(input, testCase.params).data);
      console.log(`canny gpu ${testCase.name}: ${vsSkimage.differing} of ${vsSkimage.pixels} pixels differ from skimage, ${vsCpu.differing} from the cpu engine`);
      expect(vsSkimage.differing).toBeLessThanOrEqual(TIE_MARGIN * testCase.pixelsChangedByFloat32);
    });
  }

  gpu.it('carries hysteresis up a 298-pixel chain over several submits of one promotion pass and matches skimage', async ({ device }) => {
    const testCase = cases.find((c) => c.name === 'long_chain_u8');
    if (!testCase) throw new Error('golden case long_chain_u8 is missing: rerun scripts/make_canny_golden.py');
    const input = loadNpyImage(testCase.input);
    const result = await cannyGpu(context(device), input, testCase.params, { passesPerSubmit: 1 });
    expect(result.submits).toBeGreaterThan(1);
    expect(result.hysteresisPasses).toBe(result.submits);
    expect(edgeAgreement(result.edges.data, loadNpyImage(testCase.edges).data as Uint8Array).differing).toBe(0);
  });

  gpu.it('resolves quantile thresholds to the same magnitudes as the CPU engine, within float32 rounding', async ({ device }) => {
    const input = loadNpyImage('noise_f64.input.npy');
    const { thresholds } = await cannyGpu(context(device), input, { lowThreshold: 0.5, highThreshold: 0.8, useQuantiles: true });
    // The CPU's quantiles of its float64 magnitude (a copy of the stages, without hysteresis).
    const cpuLow = quantileOfCpuMagnitude(input, 0.5);
    const cpuHigh = quantileOfCpuMagnitude(input, 0.8);
    expect(Math.abs(thresholds.low - cpuLow)).toBeLessThanOrEqual(1e-6 * cpuLow);
    expect(Math.abs(thresholds.high - cpuHigh)).toBeLessThanOrEqual(1e-6 * cpuHigh);
  });

  gpu.it('rejects invalid parameters with the same messages as the CPU engine, before any GPU work', async ({ device }) => {
    const input = loadNpyImage('square_u8.input.npy');
    await expect(cannyGpu(context(device), input, { lowThreshold: 0.9, highThreshold: 0.5, useQuantiles: true }))
      .rejects.toThrow('canny lowThreshold must be <= highThreshold, got low 0.9 > high 0.5');
    await expect(cannyGpu(context(device), input, { sigma: 0 })).rejects.toThrow('canny sigma must be a finite number > 0, got 0');
    await expect(cannyGpu(context(device), input, {}, { passesPerSubmit: 0 })).rejects.toThrow('passesPerSubmit must be a positive integer, got 0');
  });

  gpu.it('hands every pooled buffer back once a run is over', async ({ device }) => {
    await cannyGpu(context(device), loadNpyImage('noise_u8.input.npy'), { useQuantiles: true });
    expect(pool?.stats().bytesInUse).toBe(0);
  });
});

describe('float32AtLeast', () => {
  for (const t of [0.1, 0.2, 1 / 3, 459 / 255, 1e-40, -0.1, 0, 2 ** 130]) {
    it(`gives the smallest float32 >= ${t}, so float32 v >= it exactly when v >= ${t}`, () => {
      const f = float32AtLeast(t);
      expect(Math.fround(f)).toBe(f);
      expect(f).toBeGreaterThanOrEqual(t);
      // The float32 just below f is below t.
      const below = new Float32Array([f]);
      const bits = new Uint32Array(below.buffer);
      if (f > 0) bits[0] -= 1;
      else if (f < 0) bits[0] += 1;
      else bits[0] = 0x80000001; // below +0: the negative subnormal
      expect(below[0]).toBeLessThan(t);
    });
  }
});

/** np.percentile of the CPU engine's float64 gradient magnitude (default sigma and mode). */
function quantileOfCpuMagnitude(input: Image2D, q: number): number {
  const x = Float64Array.from(input.data);
  const smoothed = cannySmooth(x, input.width, input.height, validateCannyParams({}));
  const { magnitude } = cannyGradients(smoothed, input.width, input.height);
  return percentileOfSorted(Float64Array.from(magnitude).sort(), q);
}
