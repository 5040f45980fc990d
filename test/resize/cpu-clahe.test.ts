/**
 * CPU CLAHE against skimage 0.19 equalize_adapthist (fixtures from scripts/make_resize_golden.py):
 * levels round(255 * out), expected exact on the small cases and at most 1 level off on 99.9% of
 * the real sample's pixels.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clahe } from '../../src/cpu/clahe.js';
import { clipHistogram, validateClaheOptions } from '../../src/filters/clahe.js';
import { type Image2D, imageFrom } from '../../src/image.js';
import { findSamplesDir } from '../helpers/golden.js';
import { claheGoldenPath, claheManifest, countOff, decodeGrayPng, loadClaheNpy, maxAbsDiff } from '../helpers/resize-golden.js';

const manifest = claheManifest();

describe('clahe (skimage.exposure.equalize_adapthist on uint8, as 8-bit levels)', () => {
  for (const c of manifest.cases) {
    it(`${c.name} ${JSON.stringify(c.params)}: equals skimage`, () => {
      const input = loadClaheNpy(c.input) as Image2D<Uint8Array>;
      const out = clahe(input, c.params);
      const expected = loadClaheNpy(c.expected);
      expect(countOff(out, expected, 0)).toBe(0);
    });
  }

  it('every option changes the output', () => {
    const c = manifest.cases[0];
    const input = loadClaheNpy(c.input) as Image2D<Uint8Array>;
    const base = clahe(input, {});
    expect(maxAbsDiff(clahe(input, { clipLimit: 0.2 }), base)).toBeGreaterThan(0);
    expect(maxAbsDiff(clahe(input, { kernelSize: 9 }), base)).toBeGreaterThan(0);
    expect(maxAbsDiff(clahe(input, { nbins: 32 }), base)).toBeGreaterThan(0);
  });

  it('maps a constant image to 255, as skimage does (rescale_intensity of a constant clips to [0, 1])', () => {
    const out = clahe(imageFrom(5, 4, new Uint8Array(20).fill(77)), {});
    expect(Array.from(new Set(out.data))).toEqual([255]);
    expect(Array.from(new Set(clahe(imageFrom(3, 3, new Uint8Array(9)), {}).data))).toEqual([255]);
  });

  it('rejects bad parameters with one clear line', () => {
    expect(() => validateClaheOptions({ clipLimit: -1 })).toThrow('clipLimit must be a finite number >= 0, got -1');
    expect(() => validateClaheOptions({ nbins: 0 })).toThrow('nbins must be an integer from 1 to 16384, got 0');
    expect(() => validateClaheOptions({ kernelSize: [4, 0] })).toThrow('kernelSize must be positive integers, got 0');
    expect(() => clahe(imageFrom(2, 2, new Float64Array(4)) as never, {})).toThrow('clahe takes an 8-bit image');
  });

  it("clipHistogram follows skimage's redistribution (clip 3: excess spread, then strided leftovers)", () => {
    // Python: clip_histogram(np.array([10, 0, 1, 0, 2, 0]), 3) -> [3, 1, 3, 2, 3, 1]
    const hist = Int32Array.from([10, 0, 1, 0, 2, 0]);
    clipHistogram(hist, 3);
    expect(Array.from(hist)).toEqual([3, 1, 3, 2, 3, 1]);
  });
});

const samples = findSamplesDir();
describe.skipIf(samples === null || manifest.real === null)(`clahe on the real sample at 1024${samples === null ? ' (skipped: no samples; set XRAY_SAMPLES)' : ''}`, () => {
  it('is at most 1 level off on 99.9% of the pixels (expected: exact)', () => {
    const real = manifest.real as { sample: string; expected: string; params: { clipLimit: number; nbins: number } };
    const image = decodeGrayPng(join(samples!, real.sample));
    const out = clahe(image, real.params);
    const expected = decodeGrayPng(claheGoldenPath(real.expected));
    expect(countOff(out, expected, 1)).toBeLessThanOrEqual(image.data.length * 0.001);
    expect(countOff(out, expected, 0)).toBe(0);
  });
});
