/**
 * prepare's GPU queue (src/pipeline/prepare/gpu-queue.ts) with a stand-in for the GPU: one batch at a
 * time, the images that arrive meanwhile go together (at most MAX_BATCH), each caller gets its own
 * row, and a failed batch is retried image by image so only the bad image fails.
 */
import { describe, expect, it } from 'vitest';
import type { Image2D } from '../../src/image.js';
import { GpuPrepareQueue, MAX_BATCH } from '../../src/pipeline/prepare/gpu-queue.js';

const image = (value: number): Image2D<Uint8Array> => ({ width: 1, height: 1, data: Uint8Array.of(value) });

/** A stand-in GPU: rows are the pixel plus 1; records each batch's pixels; refuses pixel 200. */
function fakeGpu() {
  const batches: number[][] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  return {
    batches,
    /** Holds the next batches until `open` is called. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open: () => release(),
    compute: async (images: Image2D<Uint8Array>[]) => {
      batches.push(images.map((i) => i.data[0]));
      await gate;
      if (images.some((i) => i.data[0] === 200)) throw new RangeError('pixel 200 refused');
      return images.map((i) => Uint8Array.of(i.data[0] + 1));
    },
  };
}

describe('GpuPrepareQueue', () => {
  it('runs the first image alone and the images that queued meanwhile as the next batches, at most MAX_BATCH each', async () => {
    const gpu = fakeGpu();
    const queue = new GpuPrepareQueue(gpu.compute);
    gpu.hold();
    const results = Array.from({ length: MAX_BATCH + 3 }, (_, i) => queue.prepare(image(i)));
    gpu.open();
    const rows = await Promise.all(results);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: MAX_BATCH + 3 }, (_, i) => i + 1));
    expect(gpu.batches.map((b) => b.length)).toEqual([1, MAX_BATCH, 2]);
    expect(gpu.batches.flat()).toEqual(Array.from({ length: MAX_BATCH + 3 }, (_, i) => i));
  });

  it('a refused image fails alone: its batch is retried image by image', async () => {
    const gpu = fakeGpu();
    const queue = new GpuPrepareQueue(gpu.compute);
    gpu.hold();
    const first = queue.prepare(image(1));
    const others = [12, 200, 14].map((v) => queue.prepare(image(v)));
    gpu.open();
    expect((await first)[0]).toBe(2);
    const settled = await Promise.allSettled(others);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value[0] : String(s.reason)))).toEqual([13, 'RangeError: pixel 200 refused', 15]);
    expect(gpu.batches).toEqual([[1], [12, 200, 14], [12], [200], [14]]);
  });
});
