/**
 * GPU engine vs CPU engine on the parity case table: every op, every boundary mode, sizes from 1x1
 * to 257x129 and a real 1024x1024 radiograph. Float outputs within 1e-4 of the CPU output's range;
 * masks, histograms and statistics exactly equal. Each size runs as one engine call (one submit).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import type { OpRequest } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';
import { findSamplesDir, maxAbsDiff } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import {
  EXACT_OPS, PARITY_SIZES, describeRequest, parityImage, parityRequests, parityTolerance,
} from './parity-cases.js';

const gpu = useGpuEngine();
const cpu = createCpuEngine();

/** Runs `requests` on both engines and returns one line per output that disagrees. */
async function disagreements(image: Image2D, requests: readonly OpRequest[]): Promise<string[]> {
  const [actual, expected] = await Promise.all([gpu.engine!.run(image, requests), cpu.run(image, requests)]);
  const failures: string[] = [];
  requests.forEach((request, i) => {
    const a = actual[i];
    const e = expected[i];
    expect(a.data).toBeInstanceOf(Float32Array);
    expect([a.width, a.height]).toEqual([e.width, e.height]);
    const error = maxAbsDiff(a.data, e.data);
    const allowed = EXACT_OPS.has(request.op) && !(image.data instanceof Float64Array) ? 0 : parityTolerance(e.data);
    if (!(error <= allowed)) failures.push(`${describeRequest(request)}: max error ${error} > ${allowed}`);
  });
  return failures;
}

describe('gpu engine vs cpu engine', () => {
  for (const [width, height] of PARITY_SIZES) {
    gpu.it(`agrees on every op and mode of the table for a ${width}x${height} 8-bit image`, async () => {
      expect(await disagreements(parityImage(width, height), parityRequests())).toEqual([]);
    });
  }

  gpu.it('agrees on float32 and float64 input (uploaded as is, and converted on the host)', async () => {
    const base = parityImage(37, 53, 7);
    const requests = parityRequests();
    const f32 = { ...base, data: Float32Array.from(base.data, (v, i) => v + (i % 7) * 0.125 - 0.3) };
    const f64 = { ...base, data: Float64Array.from(base.data, (v, i) => v * 1.0001 + Math.sin(i) * 0.01) };
    expect(await disagreements(f32, requests)).toEqual([]);
    expect(await disagreements(f64, requests)).toEqual([]);
  });

  gpu.it('agrees on 16-bit input, unpacked two pixels per word', async () => {
    const base = parityImage(37, 53, 3);
    const u16 = { ...base, data: Uint16Array.from(base.data, (v, i) => v * 257 - (i % 3)) };
    const requests: OpRequest[] = [
      { op: 'gaussian', sigma: 2 }, { op: 'sobel-magnitude' }, { op: 'mask-binary', threshold: 30000 }, { op: 'fourier-gaussian', sigma: 1 },
    ];
    expect(await disagreements(u16, requests)).toEqual([]);
  });

  gpu.it('gives every image of a batch the same results as separate runs', async ({ engine }) => {
    const images = [parityImage(37, 53, 11), parityImage(37, 53, 12), parityImage(37, 53, 13)];
    const requests: OpRequest[] = [{ op: 'sobel-magnitude' }, { op: 'gaussian', sigma: 2.2, mode: 'wrap' }, { op: 'mask', threshold: 99 }];
    const batch = await engine.runBatch(images, requests);
    expect(batch).toHaveLength(3);
    for (let k = 0; k < images.length; k++) {
      const single = await engine.run(images[k], requests);
      batch[k].forEach((output, i) => expect(Array.from(output.data)).toEqual(Array.from(single[i].data)));
    }
  });

  gpu.it('returns separate arrays for requests that resolve to the same output', async ({ engine }) => {
    const image = parityImage(7, 5);
    const [a, b] = await engine.run(image, [{ op: 'sobel', axis: 0 }, { op: 'sobel', axis: 0 }]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(a.data).not.toBe(b.data);
  });

  describe('histogram and statistics', () => {
    const options = [
      { min: 0, max: 255, bins: 256 },
      { min: 0, max: 255, bins: 10 },
      { min: 10.5, max: 200, bins: 7 },
      { min: -5, max: 300, bins: 1000 },
      { min: 100, max: 100, bins: 3 },
      { min: 0, max: 65535, bins: 256 },
    ];
    const images: [string, Image2D][] = [
      ['8-bit 257x129', parityImage(257, 129)],
      ['8-bit 1x1', parityImage(1, 1)],
      ['8-bit 1x7', parityImage(1, 7)],
      ['16-bit 37x53', { width: 37, height: 53, data: Uint16Array.from(parityImage(37, 53).data, (v, i) => v * 251 + (i % 5)) }],
      ['float32 37x53', { width: 37, height: 53, data: Float32Array.from(parityImage(37, 53).data, (v) => v + 0.5) }],
    ];
    for (const [name, image] of images) {
      gpu.it(`counts exactly like the CPU engine (numpy.histogram) and gives equal stats: ${name}`, async ({ engine }) => {
        for (const option of options) {
          expect(Array.from(await engine.histogram(image, option)), JSON.stringify(option)).toEqual(Array.from(await cpu.histogram(image, option)));
        }
        expect(await engine.stats(image)).toEqual(await cpu.stats(image));
      });
    }

    gpu.it('rejects bad histogram options with the bad value in the message', async ({ engine }) => {
      const image = parityImage(3, 3);
      await expect(engine.histogram(image, { min: 0, max: 255, bins: 0 })).rejects.toThrow(/bins must be a positive integer, got 0/);
      await expect(engine.histogram(image, { min: 5, max: 1, bins: 4 })).rejects.toThrow(/min must be <= max/);
    });
  });

  const samples = findSamplesDir();
  const samplePath = samples && join(samples, '00000011_001.png');
  it.skipIf(!samples)('(skipped when the ChestX-ray8 samples are absent) real 1024x1024 sample', () => {});
  if (samplePath) {
    gpu.it('agrees on every op for the real 1024x1024 sample 00000011_001.png', async ({ engine }) => {
      const png = PNG.sync.read(readFileSync(samplePath), { skipRescale: true });
      const data = new Uint8Array(png.width * png.height);
      for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4];
      const image = { width: png.width, height: png.height, data };
      const requests: OpRequest[] = [
        { op: 'gaussian' }, { op: 'gaussian', sigma: 3.3, order: [1, 0], mode: 'constant', cval: 17.5 },
        { op: 'gaussian-laplace' }, { op: 'gaussian-gradient-magnitude' }, { op: 'sobel', axis: 0 }, { op: 'sobel', axis: 1 },
        { op: 'prewitt', axis: 0 }, { op: 'prewitt', axis: 1, mode: 'wrap' }, { op: 'laplace', mode: 'mirror' },
        { op: 'sobel-magnitude' }, { op: 'prewitt-magnitude', mode: 'nearest' }, { op: 'fourier-gaussian' },
        { op: 'tutorial-canny' }, { op: 'mask' }, { op: 'mask-binary' },
      ];
      expect(await disagreements(image, requests)).toEqual([]);
      expect(await engine.stats(image)).toEqual(await cpu.stats(image));
      expect(Array.from(await engine.histogram(image, { min: 0, max: 255, bins: 256 })))
        .toEqual(Array.from(await cpu.histogram(image, { min: 0, max: 255, bins: 256 })));
    });
  }
});
