/**
 * resize and clahe on the GPU engine (WGSL kernels, no CPU fallback) against the skimage/OpenCV
 * fixtures and the CPU engine: resize within 1e-4 of the range, CLAHE levels within 1 on 99.9% of
 * the pixels.
 */
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { clahe } from '../../src/cpu/clahe.js';
import type { Image2D } from '../../src/image.js';
import { findSamplesDir } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import {
  claheGoldenPath, claheManifest, countOff, decodeGrayPng, loadClaheNpy, loadResizeNpy, maxAbsDiff, resizeManifest,
} from '../helpers/resize-golden.js';

const gpu = useGpuEngine();
const GPU_TOLERANCE = 1e-4 * 255;

describe('gpu engine: resize', () => {
  gpu.it('matches skimage and OpenCV within 1e-4 of the range on every fixture, in one call per input', async ({ engine }) => {
    for (const c of resizeManifest().cases) {
      const input = loadResizeNpy(c.input);
      const [skimage, area, gauss] = await engine.run(input, [
        { op: 'resize', height: c.height, width: c.width },
        { op: 'resize', height: c.height, width: c.width, method: 'area' },
        { op: 'gaussian', sigma: 1 },
      ]);
      expect(skimage.data, c.name).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(skimage, loadResizeNpy(c.skimage)), `${c.name} skimage`).toBeLessThanOrEqual(GPU_TOLERANCE);
      expect(maxAbsDiff(area, loadResizeNpy(c.area)), `${c.name} area`).toBeLessThanOrEqual(GPU_TOLERANCE);
      expect([gauss.width, gauss.height]).toEqual([input.width, input.height]);
    }
  });

  gpu.it('runBatchUint8 scales each resized output to its own size', async ({ engine }) => {
    const c = resizeManifest().cases[1];
    const input = loadResizeNpy(c.input);
    const [[levels]] = await engine.runBatchUint8([input], [{ op: 'resize', height: c.height, width: c.width }]);
    expect([levels.height, levels.width, levels.data.length]).toEqual([c.height, c.width, c.height * c.width]);
  });
});

describe('gpu engine: clahe', () => {
  for (const c of claheManifest().cases) {
    gpu.it(`${c.name} ${JSON.stringify(c.params)}: levels within 1 of skimage on 99.9% of the pixels`, async ({ engine }) => {
      const input = loadClaheNpy(c.input) as Image2D<Uint8Array>;
      const [out] = await engine.run(input, [{ op: 'clahe', ...c.params }]);
      const expected = loadClaheNpy(c.expected);
      expect(maxAbsDiff(out, expected)).toBeLessThanOrEqual(1);
      expect(countOff(out, expected, 0)).toBeLessThanOrEqual(Math.floor(expected.data.length * 0.001));
    });
  }

  gpu.it('gives 255 for a constant image as skimage does, and refuses more bins than a workgroup holds', async ({ engine }) => {
    const flat = { width: 9, height: 7, data: new Uint8Array(63).fill(40) };
    const [out] = await engine.run(flat, [{ op: 'clahe', kernelSize: 3 }]);
    expect(Array.from(new Set(out.data))).toEqual([255]);
    await expect(engine.run(flat, [{ op: 'clahe', nbins: 5000 }])).rejects.toThrow(
      'clahe on the gpu takes nbins up to 4096 (one workgroup histogram), got 5000',
    );
  });

  gpu.it('rejects a float image with the same line as the CPU engine', async ({ engine }) => {
    const input = loadClaheNpy(claheManifest().cases[0].input);
    await expect(engine.run({ ...input, data: Float32Array.from(input.data) }, [{ op: 'clahe' }])).rejects.toThrow(
      'op clahe takes an 8-bit image; this one is float32',
    );
  });
});

const samples = findSamplesDir();
describe.skipIf(samples === null)('gpu engine on the real sample (skipped without samples)', () => {
  gpu.it('resize to 256 within 1e-4 of skimage and CLAHE at 1024 within 1 level on 99.9%', async ({ engine }) => {
    const real = claheManifest().real as { sample: string; expected: string; params: { clipLimit: number; nbins: number } };
    const image = decodeGrayPng(join(samples!, real.sample));
    const [resized, equalized] = await engine.run(image, [{ op: 'resize', height: 256, width: 256 }, { op: 'clahe', ...real.params }]);
    expect(maxAbsDiff(resized, loadResizeNpy('real-256.skimage.npy'))).toBeLessThanOrEqual(GPU_TOLERANCE);
    const expected = decodeGrayPng(claheGoldenPath(real.expected));
    expect(countOff(equalized, expected, 1)).toBeLessThanOrEqual(image.data.length * 0.001);
    // And the CPU reference: the same bound.
    expect(countOff(equalized, clahe(image, real.params), 1)).toBeLessThanOrEqual(image.data.length * 0.001);
  }, 120_000);
});
