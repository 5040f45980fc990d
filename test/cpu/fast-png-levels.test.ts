/**
 * The batch's fast 8-bit path against its oracle: the float64 reference engine followed by
 * scaleToUint8. Allowed: one level, on pixels within rounding of a half level (a tiny share).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { computePngLevels } from '../../src/cpu/fast/png-levels.js';
import type { OpRequest } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { decodePng } from '../../src/io/png.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';
import { finiteRange, levelsKernel, levelsOfFilled, scaleToLevels } from '../../src/cpu/fast/levels.js';
import { findSamplesDir } from '../helpers/golden.js';

const TUTORIAL_OUTPUTS: OpRequest[] = [
  { op: 'gaussian-laplace', sigma: 1 },
  { op: 'gaussian-gradient-magnitude', sigma: 2 },
  { op: 'sobel-magnitude' },
  { op: 'tutorial-canny' },
  { op: 'mask' },
  { op: 'mask-binary', threshold: 150 },
];

/** Per request: how many levels differ from the reference's, and by how much at most. */
async function compare(image: Image2D<Uint8Array | Uint16Array>, requests: OpRequest[]): Promise<{ differing: number; maxDiff: number }[]> {
  const reference = await createCpuEngine().run(image, requests);
  const fast = computePngLevels(image, requests);
  return requests.map((_, k) => {
    const expected = scaleToUint8(reference[k]).data;
    let differing = 0;
    let maxDiff = 0;
    for (let i = 0; i < expected.length; i++) {
      const diff = Math.abs(fast[k][i] - expected[i]);
      if (diff > 0) differing++;
      maxDiff = Math.max(maxDiff, diff);
    }
    return { differing, maxDiff };
  });
}

/** A smooth phantom with noise, edges and a bright disc: every op sees gradients of every direction. */
function phantom<T extends Uint8Array | Uint16Array>(width: number, height: number, data: T, top: number, seed: number): Image2D<T> {
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const disc = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (width / 5) ** 2 ? 0.4 : 0;
      const level = 0.3 + 0.3 * Math.sin(x / 7) * Math.cos(y / 11) + disc + ((state >>> 16) / 65536) * 0.1;
      data[y * width + x] = Math.min(top, Math.max(0, Math.round(level * top)));
    }
  }
  return { width, height, data };
}

const samples = findSamplesDir();
const reason = samples === null ? ' (skipped: no ChestX-ray8 samples; set XRAY_SAMPLES)' : '';

describe('computePngLevels (fast 8-bit path)', () => {
  it('gives the reference levels on a uint8 phantom, one level off on at most 0.01% of pixels', async () => {
    const image = phantom(160, 120, new Uint8Array(160 * 120), 255, 3);
    for (const { differing, maxDiff } of await compare(image, TUTORIAL_OUTPUTS)) {
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(differing).toBeLessThanOrEqual(2);
    }
  });

  it('gives the reference levels on a uint16 phantom, for every boundary mode of the edge ops', async () => {
    const image = phantom(67, 45, new Uint16Array(67 * 45), 65535, 9);
    const requests: OpRequest[] = (['reflect', 'mirror', 'nearest', 'wrap', 'constant'] as const).flatMap((mode) => [
      { op: 'sobel-magnitude', mode },
      { op: 'prewitt-magnitude', mode },
      { op: 'tutorial-canny', mode },
    ]);
    for (const { differing, maxDiff } of await compare(image, requests)) {
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(differing).toBeLessThanOrEqual(1);
    }
  });

  it('handles images one pixel wide or tall, and a flat image (no edges: all zeros, as the reference)', async () => {
    for (const [width, height] of [
      [1, 9],
      [9, 1],
      [2, 2],
    ]) {
      const image = phantom(width, height, new Uint8Array(width * height), 255, width);
      for (const { maxDiff } of await compare(image, TUTORIAL_OUTPUTS)) expect(maxDiff).toBeLessThanOrEqual(1);
    }
    const flat = { width: 8, height: 8, data: new Uint8Array(64).fill(90) };
    expect(computePngLevels(flat, [{ op: 'sobel-magnitude' }])[0].every((v) => v === 0)).toBe(true);
    for (const { differing } of await compare(flat, TUTORIAL_OUTPUTS)) expect(differing).toBe(0);
  });

  it.skipIf(samples === null)(`gives the reference levels on a real ChestX-ray8 image${reason}`, async () => {
    const image = decodePng(readFileSync(join(samples!, '00000011_001.png')), '00000011_001.png');
    for (const { differing, maxDiff } of await compare(image, TUTORIAL_OUTPUTS)) {
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(differing).toBeLessThanOrEqual(100); // 0.01% of 1024x1024
    }
  });
});

describe('maskLevels (masks by level table)', () => {
  it('equals the reference mask scaled to 8 bits exactly, for 8- and 16-bit images and awkward thresholds', async () => {
    const u8 = phantom(37, 53, new Uint8Array(37 * 53), 255, 3);
    const u16 = phantom(29, 31, new Uint16Array(29 * 31), 65535, 5);
    const cases: [Image2D<Uint8Array | Uint16Array>, number][] = [
      [u8, 150], [u8, 150.5], [u8, -1], [u8, 255], [u8, 0], [u16, 30000], [u16, 65534.5],
    ];
    for (const [image, threshold] of cases) {
      const results = await compare(image, [{ op: 'mask', threshold }, { op: 'mask-binary', threshold }]);
      for (const { differing } of results) expect(differing, `threshold ${threshold}`).toBe(0);
    }
  });

  it('gives all zeros for a constant image, as scaleToUint8 does', () => {
    const flat = { width: 4, height: 3, data: new Uint8Array(12).fill(200) };
    const [kept, binary] = computePngLevels(flat, [{ op: 'mask' }, { op: 'mask-binary' }]);
    expect(Array.from(kept)).toEqual(new Array(12).fill(0));
    expect(Array.from(binary)).toEqual(new Array(12).fill(0));
  });
});

describe('computePngLevels in WebAssembly SIMD', () => {
  afterEach(() => setCpuSimd(true));

  /** The levels with the SIMD kernels on, and with them off. */
  function both(image: Image2D<Uint8Array | Uint16Array>, requests: OpRequest[]): [Uint8Array[], Uint8Array[]] {
    const simd = computePngLevels(image, requests);
    setCpuSimd(false);
    const scalar = computePngLevels(image, requests);
    setCpuSimd(true);
    return [simd, scalar];
  }

  it('equals the scalar fast path level for level, every edge op and mode, on odd sizes', () => {
    const requests: OpRequest[] = [
      ...TUTORIAL_OUTPUTS,
      ...(['reflect', 'mirror', 'nearest', 'wrap'] as const).flatMap((mode): OpRequest[] => [
        { op: 'sobel-magnitude', mode },
        { op: 'prewitt-magnitude', mode },
        { op: 'tutorial-canny', mode },
      ]),
    ];
    for (const [width, height] of [[1, 1], [1, 9], [9, 1], [2, 2], [37, 53], [64, 3]] as const) {
      const [simd, scalar] = both(phantom(width, height, new Uint8Array(width * height), 255, width + height), requests);
      requests.forEach((request, k) => expect(simd[k], `${JSON.stringify(request)} ${width}x${height}`).toEqual(scalar[k]));
    }
  });

  it.skipIf(samples === null)(`equals the scalar fast path on a real ChestX-ray8 image${reason}`, () => {
    const image = decodePng(readFileSync(join(samples!, '00000011_004.png')), '00000011_004.png');
    const [simd, scalar] = both(image, TUTORIAL_OUTPUTS);
    // Counted by hand: toEqual walks a megapixel array slowly.
    TUTORIAL_OUTPUTS.forEach((request, k) => {
      let differing = 0;
      for (let i = 0; i < scalar[k].length; i++) if (simd[k][i] !== scalar[k][i]) differing++;
      expect(simd[k].length, request.op).toBe(scalar[k].length);
      expect(differing, request.op).toBe(0);
    });
  });

  it('levelsOfFilled (range and scaling in the kernel) equals scaleToLevels, non-finite values and signed zeros included', () => {
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 1e3;
    const cases: [string, number[]][] = [
      ['one value', [3]],
      ['odd count', Array.from({ length: 37 }, random)],
      ['even count', Array.from({ length: 64 }, random)],
      ['NaN and infinities', Array.from({ length: 41 }, (_, i) => (i % 7 === 0 ? NaN : i % 11 === 0 ? -Infinity : i === 40 ? Infinity : random()))],
      ['signed zeros', [0, -0, 5, -0, 0, 2.5, -0]],
      ['constant', new Array(9).fill(4.25)],
      ['nothing finite', [NaN, Infinity, -Infinity]],
    ];
    const kernel = levelsKernel()!;
    for (const [name, values] of cases) {
      const data = Float64Array.from(values);
      // The range kernel itself: min, max (up to the sign of a zero) and the non-finite count.
      kernel.reserve(32 + 8 * data.length);
      kernel.f64.set(data, 4);
      kernel.exports.f64_range(32, data.length, 0);
      const expected = finiteRange(data);
      expect([kernel.f64[0] + 0, kernel.f64[1] + 0, kernel.f64[2]], name).toEqual([expected.min + 0, expected.max + 0, expected.nonFinite]);
      const inKernel = levelsOfFilled(data.length, (target) => target.set(data));
      setCpuSimd(false);
      const scalar = scaleToLevels(data);
      setCpuSimd(true);
      expect(inKernel, name).toBeDefined();
      expect(Array.from(inKernel!), name).toEqual(Array.from(scalar));
    }
  });

  it("scaleToLevels rounds halves up and 0.5 - 2^-54 down, as Math.round, in both", () => {
    // min 0, max 255: level = round(value); values around every rounding edge, odd count for the tail.
    const values = Float64Array.from([0, 255, 0.5, 0.5 - 2 ** -54, 1.5, 2.4999999999999996, 254.5, 127.49999999999999, 3]);
    const expected = Array.from(values, (v) => Math.round(v));
    expect(Array.from(scaleToLevels(values))).toEqual(expected);
    setCpuSimd(false);
    expect(Array.from(scaleToLevels(values))).toEqual(expected);
  });
});
