/**
 * Device loss: when the device goes away mid-run, the engine rebuilds the device and its pipelines
 * and retries the image once, so the caller still gets the right result, and later runs work.
 */
import { expect } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import type { OpRequest } from '../../src/filters/ops.js';
import { maxAbsDiff } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { parityImage, parityTolerance } from './parity-cases.js';

const gpu = useGpuEngine();
const cpu = createCpuEngine();
const requests: OpRequest[] = [{ op: 'gaussian', sigma: 2 }, { op: 'sobel-magnitude', mode: 'wrap' }, { op: 'mask-binary', threshold: 120 }];

async function expectCorrect(outputs: { data: Float32Array }[], image: ReturnType<typeof parityImage>): Promise<void> {
  const expected = await cpu.run(image, requests);
  outputs.forEach((output, i) => expect(maxAbsDiff(output.data, expected[i].data)).toBeLessThanOrEqual(parityTolerance(expected[i].data)));
}

gpu.it('recovers when the device is destroyed during a run: that image and the next come out right', async ({ engine, device }) => {
  const first = parityImage(512, 512, 21);
  const second = parityImage(64, 48, 22);
  await engine.run(second, requests); // compile the pipelines, so the next run reaches the GPU at once
  const running = engine.run(first, requests);
  // Destroyed while the GPU works on the submit (SwiftShader takes far longer than this for 512x512).
  await new Promise((resolve) => setTimeout(resolve, 20));
  device.destroy();
  await expectCorrect(await running, first);
  expect(engine.deviceRebuilds).toBe(1);
  expect(engine.device).not.toBe(device);
  await expectCorrect(await engine.run(second, requests), second);
});

gpu.it('rebuilds before the next run when the device was lost between runs', async ({ engine }) => {
  const lost = engine.device;
  const rebuildsBefore = engine.deviceRebuilds;
  lost.destroy();
  await lost.lost;
  const image = parityImage(31, 17, 23);
  await expectCorrect(await engine.run(image, requests), image);
  expect(await engine.stats(image)).toEqual(await cpu.stats(image));
  expect(engine.deviceRebuilds).toBe(rebuildsBefore + 1);
});
