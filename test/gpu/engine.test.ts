/** The GPU engine's device layer, errors, timings and buffer reuse. */
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { checkImageFits } from '../../src/gpu/execute.js';
import { createGpuEngine } from '../../src/gpu/engine.js';
import { describeGpu } from '../../src/gpu/info.js';
import { nodeGpu, nodeGpuBackend } from '../../src/platform/node-gpu.js';
import { maxAbsDiff } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { parityImage } from './parity-cases.js';
import type { OpRequest } from '../../src/filters/ops.js';

const gpu = useGpuEngine();
const SWIFTSHADER_LINE = 'gpu: SwiftShader (Vulkan, CPU emulation), correct but slower than the cpu engine';

describe('adapter and device', () => {
  gpu.it('describes the adapter for `xray-gpu info`: identity, backend, limits, features', async ({ engine }) => {
    const info = await describeGpu(nodeGpu(), { backendHint: nodeGpuBackend() });
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(info.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(info.features).toEqual([...info.features].sort());
    expect(info.backend).toBe('vulkan');
    expect(engine.description.startsWith('gpu: ')).toBe(true);
    // A hardware adapter is named by vendor and backend; SwiftShader by what it is.
    if (!info.isSwiftShader) expect(info.summary).toContain(info.vendor);
    if (info.isSwiftShader) {
      expect(info.summary).toBe('SwiftShader (Vulkan, CPU emulation)');
      expect(info.isSoftware).toBe(true);
      expect(engine.description).toBe(SWIFTSHADER_LINE);
    }
  });

  gpu.it('refuses a software adapter when a hardware GPU is required, saying which adapter it found', async () => {
    const info = await describeGpu(nodeGpu());
    const attempt = createGpuEngine({ gpu: nodeGpu(), requireHardware: true });
    if (info.isSoftware) {
      await expect(attempt).rejects.toThrow(/no hardware GPU: the only adapter is SwiftShader \(Vulkan, CPU emulation\)$/);
    } else {
      await (await attempt).dispose();
    }
  });

  gpu.it('raises the device limits to the adapter\'s, so large images fit', async ({ engine }) => {
    const adapter = (await nodeGpu().requestAdapter())!;
    expect(engine.device.limits.maxStorageBufferBindingSize).toBe(adapter.limits.maxStorageBufferBindingSize);
    expect(engine.device.limits.maxBufferSize).toBe(adapter.limits.maxBufferSize);
    expect(engine.device.limits.maxComputeWorkgroupStorageSize).toBe(adapter.limits.maxComputeWorkgroupStorageSize);
  });

  it('names the limit and the image size when an image is too large for the device', () => {
    const limits = { maxStorageBufferBindingSize: 134217728, maxBufferSize: 268435456 };
    expect(() => checkImageFits(limits, 8192, 8192)).toThrow(
      'a 8192x8192 image needs 268435456-byte float32 planes, above this device\'s maxStorageBufferBindingSize of 134217728 bytes',
    );
    expect(() => checkImageFits(limits, 4096, 4096)).not.toThrow();
  });
});

describe('runs', () => {
  gpu.it('records kernel time separately from upload and readback when timestamps are available', async ({ engine }) => {
    await engine.run(parityImage(64, 64), [{ op: 'gaussian', sigma: 2 }]);
    const timings = engine.lastTimings!;
    expect(timings.totalMs).toBeGreaterThan(0);
    expect(timings.uploadMs).toBeGreaterThanOrEqual(0);
    expect(timings.readbackMs).toBeGreaterThanOrEqual(0);
    if (engine.hasTimestamps) {
      expect(timings.kernelMs).toBeGreaterThan(0);
      expect(timings.kernelMs!).toBeLessThanOrEqual(timings.totalMs);
    } else {
      expect(timings.kernelMs).toBeNull();
    }
  });

  gpu.it('reuses pooled buffers for the next image of the same size instead of allocating', async ({ engine }) => {
    const requests = [{ op: 'gaussian-gradient-magnitude' as const }, { op: 'prewitt-magnitude' as const }];
    await engine.run(parityImage(50, 40, 1), requests);
    const { created } = engine.poolStats();
    await engine.run(parityImage(50, 40, 2), requests);
    expect(engine.poolStats().created).toBe(created);
    expect(engine.poolStats().bytesInUse).toBe(0);
  });

  gpu.it('rejects a bad request before any GPU work, naming the request and the bad value', async ({ engine }) => {
    const image = parityImage(4, 4);
    await expect(engine.run(image, [{ op: 'gaussian' }, { op: 'sobel', axis: 2 } as unknown as OpRequest])).rejects.toThrow(
      /request 1 \(\{"op":"sobel","axis":2\}\) is invalid: axis must be 0 or -2 \(rows\), 1 or -1 \(columns\), got 2/,
    );
    await expect(engine.run(image, [{ op: 'mask', sigma: 2 } as unknown as OpRequest])).rejects.toThrow(/op mask does not take sigma/);
  });

  gpu.it('rejects a batch of differently sized images, naming the sizes', async ({ engine }) => {
    await expect(engine.runBatch([parityImage(4, 4), parityImage(5, 4)], [{ op: 'laplace' }])).rejects.toThrow(/4x4 but frame 1 is 5x4/);
  });

  gpu.it('changes its output with every parameter an op takes (none is silently ignored)', async ({ engine }) => {
    const image = parityImage(23, 19);
    const variants: [string, import('../../src/filters/ops.js').OpRequest, import('../../src/filters/ops.js').OpRequest][] = [
      ['sigma', { op: 'gaussian', sigma: 1 }, { op: 'gaussian', sigma: 2 }],
      ['order', { op: 'gaussian', order: [0, 1] }, { op: 'gaussian', order: [1, 0] }],
      ['mode', { op: 'sobel', mode: 'reflect' }, { op: 'sobel', mode: 'wrap' }],
      ['cval', { op: 'laplace', mode: 'constant', cval: 0 }, { op: 'laplace', mode: 'constant', cval: 9 }],
      ['truncate', { op: 'gaussian-laplace', sigma: 2, truncate: 4 }, { op: 'gaussian-laplace', sigma: 2, truncate: 1 }],
      ['radius', { op: 'gaussian-gradient-magnitude', sigma: 2, radius: 8 }, { op: 'gaussian-gradient-magnitude', sigma: 2, radius: 2 }],
      ['axis', { op: 'prewitt', axis: 0 }, { op: 'prewitt', axis: 1 }],
      ['threshold', { op: 'mask', threshold: 100 }, { op: 'mask', threshold: 200 }],
      ['sigma (fourier)', { op: 'fourier-gaussian', sigma: 0.5 }, { op: 'fourier-gaussian', sigma: 3 }],
      ['mode (tutorial-canny)', { op: 'tutorial-canny', mode: 'constant', cval: 0 }, { op: 'tutorial-canny', mode: 'constant', cval: 200 }],
    ];
    const outputs = await engine.run(image, variants.flatMap(([, a, b]) => [a, b]));
    variants.forEach(([name], i) => expect(maxAbsDiff(outputs[2 * i].data, outputs[2 * i + 1].data), name).toBeGreaterThan(0));
  });

  gpu.it('returns zeros for the magnitude of a flat image (max 0), like the CPU engine', async ({ engine }) => {
    const flat = { width: 9, height: 6, data: new Uint8Array(54).fill(77) };
    const [gpuOut] = await engine.run(flat, [{ op: 'sobel-magnitude' }]);
    const [cpuOut] = await createCpuEngine().run(flat, [{ op: 'sobel-magnitude' }]);
    expect(Array.from(gpuOut.data)).toEqual(Array.from(cpuOut.data));
    expect(Array.from(gpuOut.data).every((v) => v === 0)).toBe(true);
  });
});

describe('8-bit readback', () => {
  gpu.it('min-max scales each output to 8 bits on the GPU like scaleToUint8 (at most one level off, at halves)', async ({ engine }) => {
    const images = [parityImage(61, 37, 1), parityImage(61, 37, 2)];
    const requests = [
      { op: 'gaussian-laplace' as const, sigma: 1.7 }, // negative and positive values
      { op: 'sobel-magnitude' as const },
      { op: 'mask-binary' as const, threshold: 128 },
      { op: 'gaussian' as const, sigma: 0 }, // the input itself
    ];
    const floats = await engine.runBatch(images, requests);
    const bytes = await engine.runBatchUint8(images, requests);
    images.forEach((_, k) => requests.forEach((request, i) => {
      const actual = bytes[k][i];
      expect(actual.data).toBeInstanceOf(Uint8Array);
      expect([actual.width, actual.height]).toEqual([61, 37]);
      const expected = scaleToUint8(floats[k][i]).data;
      expect(maxAbsDiff(actual.data, expected), request.op).toBeLessThanOrEqual(1);
      const off = actual.data.filter((v, j) => v !== expected[j]).length;
      expect(off, request.op).toBeLessThanOrEqual(actual.data.length / 100);
      if (request.op !== 'gaussian-laplace') expect(Array.from(actual.data), request.op).toEqual(Array.from(expected));
    }));
  });

  gpu.it('gives zeros for a constant output', async ({ engine }) => {
    const flat = { width: 5, height: 3, data: new Uint8Array(15).fill(9) };
    const [[out]] = await engine.runBatchUint8([flat], [{ op: 'gaussian', sigma: 1 }]);
    expect(Array.from(out.data)).toEqual(new Array(15).fill(0));
  });
});

describe('lifecycle', () => {
  it('refuses to run after dispose, saying how to get a new engine', async () => {
    let engine;
    try {
      engine = await createGpuEngine({ gpu: nodeGpu() });
    } catch {
      return; // no adapter: covered by the helper's skip/require logic in the other tests
    }
    await engine.dispose();
    await expect(engine.run(parityImage(3, 3), [{ op: 'laplace' }])).rejects.toThrow(/gpu engine was disposed; create a new one with createGpuEngine\(\)/);
  });
});
