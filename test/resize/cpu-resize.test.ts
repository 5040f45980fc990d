/**
 * CPU resize against skimage 0.19 and OpenCV 4.6 (fixtures from scripts/make_resize_golden.py):
 * skimage within 1e-6 of the range, INTER_AREA within 1e-6 on float input and 1 level on uint8.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { centerCrop, resizeArea, resizeAreaUint8, resizeSkimage } from '../../src/cpu/resize.js';
import { centerCropBox, parseResizeSize, resizeTables, validateResizeSize } from '../../src/filters/resize.js';
import { roundHalfEven, toUint8Levels } from '../../src/filters/uint8.js';
import { type Image2D, imageFrom } from '../../src/image.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';
import { findSamplesDir } from '../helpers/golden.js';
import { countOff, decodeGrayPng, loadResizeNpy, maxAbsDiff, resizeManifest } from '../helpers/resize-golden.js';

const manifest = resizeManifest();

describe('resizeSkimage (skimage.transform.resize, order=1, reflect, anti_aliasing, preserve_range)', () => {
  for (const c of manifest.cases) {
    it(`${c.name}: within 1e-6 of the range`, () => {
      const out = resizeSkimage(loadResizeNpy(c.input), c.height, c.width);
      const expected = loadResizeNpy(c.skimage);
      expect([out.height, out.width]).toEqual([c.height, c.width]);
      expect(maxAbsDiff(out, expected)).toBeLessThanOrEqual(1e-6 * 255);
    });
  }

  it('gives bit-identical values with the WebAssembly SIMD rows pass and with the scalar one', () => {
    for (const c of manifest.cases) {
      const input = loadResizeNpy(c.input);
      const simd = resizeSkimage(input, c.height, c.width);
      const areaSimd = resizeArea(input, c.height, c.width);
      setCpuSimd(false);
      try {
        const scalar = resizeSkimage(input, c.height, c.width);
        expect(maxAbsDiff(scalar, simd), c.name).toBe(0);
        expect(maxAbsDiff(resizeArea(input, c.height, c.width), areaSimd), c.name).toBe(0);
        expect(maxAbsDiff(scalar, loadResizeNpy(c.skimage)), c.name).toBeLessThanOrEqual(1e-6 * 255);
        expect(maxAbsDiff(resizeArea(input, c.height, c.width), loadResizeNpy(c.area)), c.name).toBeLessThanOrEqual(1e-6 * 255);
      } finally {
        setCpuSimd(true);
      }
    }
  });

  it('differs from a plain bilinear zoom (the Gaussian prefilter is applied when shrinking)', () => {
    const c = manifest.cases[0];
    const input = loadResizeNpy(c.input);
    const out = resizeSkimage(input, c.height, c.width);
    const area = resizeArea(input, c.height, c.width);
    expect(maxAbsDiff(out, area)).toBeGreaterThan(1);
  });
});

describe('resizeArea (cv2.resize INTER_AREA)', () => {
  for (const c of manifest.cases) {
    it(`${c.name}: float64 input within 1e-6 of OpenCV, uint8 within 1 level`, () => {
      const input = loadResizeNpy(c.input) as Image2D<Uint8Array>;
      expect(maxAbsDiff(resizeArea(input, c.height, c.width), loadResizeNpy(c.area))).toBeLessThanOrEqual(1e-6 * 255);
      expect(maxAbsDiff(resizeAreaUint8(input, c.height, c.width), loadResizeNpy(c.areaUint8))).toBeLessThanOrEqual(1);
    });
  }
});

const samples = findSamplesDir();
describe.skipIf(samples === null || manifest.real === null)(`the real sample at 256${samples === null ? ' (skipped: no samples; set XRAY_SAMPLES)' : ''}`, () => {
  it('resizeSkimage within 1e-6 of the range (fixture stored as float32), area within 1 level', () => {
    const real = manifest.real as { sample: string; skimage: string; areaUint8: string };
    const image = decodeGrayPng(join(samples!, real.sample));
    const expected = loadResizeNpy(real.skimage);
    // float32 storage rounds values below 256 by at most 2^-16.
    expect(maxAbsDiff(resizeSkimage(image, 256, 256), expected)).toBeLessThanOrEqual(1e-6 * 255 + 2 ** -16);
    const area = resizeAreaUint8(image, 256, 256);
    const areaExpected = loadResizeNpy(real.areaUint8);
    expect(maxAbsDiff(area, areaExpected)).toBeLessThanOrEqual(1);
    expect(countOff(area, areaExpected, 0)).toBeLessThan(256 * 256 * 0.001);
  });
});

describe('resize helpers', () => {
  it('centerCrop takes the central square as torchxrayvision does (x // 2 - size // 2)', () => {
    const image = imageFrom(5, 2, Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(centerCropBox(5, 2)).toEqual({ x: 1, y: 0, size: 2 });
    expect(Array.from(centerCrop(image).data)).toEqual([1, 2, 6, 7]);
    const tall = imageFrom(2, 5, Uint16Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const cropped = centerCrop(tall);
    expect(cropped.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(cropped.data)).toEqual([2, 3, 4, 5]);
    expect(centerCrop(cropped)).toBe(cropped);
  });

  it('rounds half to even and clips like np.round(...).clip(0, 255).astype(uint8)', () => {
    expect([0.5, 1.5, 2.5, -0.5, 254.5, 255.4, 3.2].map(roundHalfEven)).toEqual([0, 2, 2, -0, 254, 255, 3]);
    expect(Array.from(toUint8Levels([-3, 0.5, 1.5, 2.5, 254.5, 255.4, 300, NaN]))).toEqual([0, 0, 2, 2, 254, 255, 255, 0]);
  });

  it('every table row sums to 1 (a constant image stays constant)', () => {
    for (const method of ['skimage', 'area'] as const) {
      for (const [inH, inW, h, w] of [[37, 53, 16, 11], [7, 5, 13, 9], [1, 1, 3, 2], [1024, 1024, 224, 224]]) {
        for (const table of resizeTables(method, inH, inW, h, w)) {
          for (let o = 0; o < table.outLength; o++) {
            let sum = 0;
            for (let k = table.offset[o]; k < table.offset[o + 1]; k++) sum += table.weight[k];
            expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
          }
        }
      }
    }
  });

  it('validates sizes with one clear message', () => {
    expect(() => validateResizeSize(0, 5)).toThrow('resize height must be an integer from 1 to 65536, got 0');
    expect(() => validateResizeSize(5, 2.5)).toThrow('resize width must be an integer from 1 to 65536, got 2.5');
    expect(parseResizeSize('224')).toEqual({ height: 224, width: 224 });
    expect(parseResizeSize('320x256')).toEqual({ height: 320, width: 256 });
    expect(() => parseResizeSize('22x')).toThrow('size must be N or HxW');
  });
});
