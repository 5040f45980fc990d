/**
 * The integer dtypes DICOM stored values bring (int16, int32, uint32): .npy round trips with NumPy's
 * descr, stats, and both engines filtering them exactly as they filter the same values in float64.
 */
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../src/codecs/npy.js';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { imageStats } from '../../src/cpu/statistics.js';
import type { OpRequest } from '../../src/filters/ops.js';
import { type Image2D, type PixelArray, dtypeOf, imageFrom } from '../../src/image.js';
import { useGpuEngine } from '../helpers/gpu.js';

const width = 37;
const height = 53;
const values = (k: number) => ((k * 7919) % 4001) - 2000; // signed, CT-like

const cases: [string, PixelArray][] = [
  ['int16', Int16Array.from({ length: width * height }, (_, k) => values(k))],
  ['int32', Int32Array.from({ length: width * height }, (_, k) => values(k) * 100000)],
  ['uint32', Uint32Array.from({ length: width * height }, (_, k) => values(k) + 3_000_000_000)],
];
const requests: OpRequest[] = [{ op: 'gaussian', sigma: 2 }, { op: 'sobel', axis: 0 }];

describe('DICOM integer dtypes', () => {
  it.each(cases)('%s: .npy round trip with NumPy descr', (dtype, data) => {
    const bytes = encodeNpy([height, width], data);
    const header = String.fromCharCode(...bytes.subarray(10, 60));
    expect(header).toContain({ int16: "'<i2'", int32: "'<i4'", uint32: "'<u4'" }[dtype]);
    const back = decodeNpy(bytes);
    expect(back.dtype).toBe(dtype);
    expect(dtypeOf(back.data)).toBe(dtype);
    expect(back.data).toEqual(data);
  });

  it.each(cases)('%s: stats as for the float64 copy', (_, data) => {
    expect(imageStats(data)).toEqual(imageStats(Float64Array.from(data)));
  });

  it.each(cases)('%s: the CPU engine filters the values, not their bit patterns', async (_, data) => {
    const engine = createCpuEngine();
    const image = imageFrom(width, height, data);
    const asFloat: Image2D = imageFrom(width, height, Float64Array.from(data));
    expect(await engine.run(image, requests)).toEqual(await engine.run(asFloat, requests));
  });
});

const gpu = useGpuEngine();
describe('DICOM integer dtypes on the GPU engine', () => {
  gpu.it('int16 and int32 images filter like their float32 copies', async ({ engine }) => {
    for (const [, data] of cases.slice(0, 2)) {
      const got = await engine.run(imageFrom(width, height, data), requests);
      const want = await engine.run(imageFrom(width, height, Float32Array.from(data)), requests);
      expect(got).toEqual(want);
    }
  });
});
