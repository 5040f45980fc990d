import { describe, expect, it } from 'vitest';
import { cannyCpu } from '../../src/cpu/canny.js';
import {
  type CannyParams,
  cannyThresholds,
  dtypeMax,
  magnitudeThresholds,
  percentileOfSorted,
  validateCannyParams,
} from '../../src/filters/canny.js';
import { loadNpyImage, percentileCases } from './fixtures.js';

describe('validateCannyParams', () => {
  it("defaults to skimage's signature: sigma 1, thresholds unset, no quantiles, constant mode, cval 0", () => {
    expect(validateCannyParams({})).toEqual({
      sigma: [1, 1], lowThreshold: undefined, highThreshold: undefined, useQuantiles: false, mode: 'constant', cval: 0,
    });
  });

  it('takes sigma as a number or a [rows, columns] pair', () => {
    expect(validateCannyParams({ sigma: 2 }).sigma).toEqual([2, 2]);
    expect(validateCannyParams({ sigma: [1, 3] }).sigma).toEqual([1, 3]);
  });

  const errors: [string, CannyParams, string][] = [
    ['sigma 0', { sigma: 0 }, 'canny sigma must be a finite number > 0, got 0'],
    ['a negative sigma', { sigma: -1 }, 'canny sigma must be a finite number > 0, got -1'],
    ['a NaN sigma', { sigma: NaN }, 'canny sigma must be a finite number > 0, got NaN'],
    ['an infinite sigma in a pair', { sigma: [1, Infinity] }, 'canny sigma must be a finite number > 0, got Infinity'],
    ['a sigma of three values', { sigma: [1, 2, 3] as unknown as [number, number] }, 'canny sigma must be a number or a pair [rows, columns], got [1,2,3]'],
    ['low above high', { lowThreshold: 0.5, highThreshold: 0.2 }, 'canny lowThreshold must be <= highThreshold, got low 0.5 > high 0.2'],
    ['a quantile above 1', { lowThreshold: 1.5, useQuantiles: true }, 'canny lowThreshold must be a quantile in [0, 1] when useQuantiles is set, got 1.5'],
    ['a negative quantile', { highThreshold: -0.1, useQuantiles: true }, 'canny highThreshold must be a quantile in [0, 1] when useQuantiles is set, got -0.1'],
    ['a NaN threshold', { lowThreshold: NaN }, 'canny lowThreshold must be a finite number, got NaN'],
    ['an unknown mode', { mode: 'edge' as CannyParams['mode'] }, 'mode must be one of reflect, mirror, nearest, constant, wrap; got "edge"'],
    ['an infinite cval', { cval: Infinity }, 'canny cval must be a finite number, got Infinity'],
    ['a parameter canny does not take', { threshold: 3 } as CannyParams, 'canny does not take threshold; it takes sigma, lowThreshold, highThreshold, useQuantiles, mode, cval'],
  ];
  for (const [what, params, message] of errors) {
    it(`rejects ${what} with a message stating the constraint and the value`, () => {
      expect(() => validateCannyParams(params)).toThrow(message);
      expect(() => cannyCpu(loadNpyImage('square_u8.input.npy'), params)).toThrow(message);
    });
  }

  it('rejects a non-boolean useQuantiles', () => {
    expect(() => validateCannyParams({ useQuantiles: 'yes' as unknown as boolean })).toThrow('canny useQuantiles must be true or false, got "yes"');
  });
});

describe('cannyThresholds', () => {
  it("scales absolute thresholds by the dtype's maximum, as skimage divides by dtype_limits(image)[1]", () => {
    expect(dtypeMax('uint8')).toBe(255);
    expect(dtypeMax('uint16')).toBe(65535);
    expect(dtypeMax('float64')).toBe(1);
    expect(cannyThresholds(validateCannyParams({ lowThreshold: 51, highThreshold: 102 }), 'uint8')).toEqual({ low: 51 / 255, high: 102 / 255, quantiles: false });
    expect(cannyThresholds(validateCannyParams({ lowThreshold: 0.3, highThreshold: 0.6 }), 'float32')).toEqual({ low: 0.3, high: 0.6, quantiles: false });
  });

  it('defaults to 0.1 and 0.2 in img_as_float units, or as quantiles', () => {
    expect(cannyThresholds(validateCannyParams({}), 'uint16')).toEqual({ low: 0.1, high: 0.2, quantiles: false });
    expect(cannyThresholds(validateCannyParams({ useQuantiles: true }), 'uint8')).toEqual({ low: 0.1, high: 0.2, quantiles: true });
  });

  it('rejects a given low threshold above the default high one once scaled, as skimage does for canny(uint8, low_threshold=100)', () => {
    expect(() => cannyThresholds(validateCannyParams({ lowThreshold: 100 }), 'uint8')).toThrow(
      'canny lowThreshold must be <= highThreshold, got low 0.39215686274509803 > high 0.2 in img_as_float units (thresholds / 255 for uint8)',
    );
    expect(() => cannyThresholds(validateCannyParams({ lowThreshold: 0.5 }), 'float64')).toThrow(
      'canny lowThreshold must be <= highThreshold, got low 0.5 > high 0.2 in img_as_float units (thresholds / 1 for float64)',
    );
    // skimage accepts canny(uint16, low_threshold=10000): 10000 / 65535 < 0.2.
    expect(cannyThresholds(validateCannyParams({ lowThreshold: 10000 }), 'uint16').low).toBe(10000 / 65535);
  });
});

describe('percentileOfSorted', () => {
  for (const [i, testCase] of percentileCases().entries()) {
    it(`equals np.percentile bit for bit on golden array ${i} (${testCase.values.length} values)`, () => {
      const sorted = Float64Array.from(testCase.values).sort();
      expect(testCase.quantiles.map((q) => percentileOfSorted(sorted, q))).toEqual(testCase.percentiles);
    });
  }

  it('refuses an empty array', () => {
    expect(() => percentileOfSorted([], 0.5)).toThrow('percentile of an empty array is undefined');
  });

  it('passes absolute thresholds through and turns quantiles into percentiles of the magnitude', () => {
    const magnitude = Float64Array.of(4, 1, 3, 2, 0);
    expect(magnitudeThresholds({ low: 0.3, high: 0.7, quantiles: false }, magnitude)).toEqual({ low: 0.3, high: 0.7 });
    expect(magnitudeThresholds({ low: 0.25, high: 1, quantiles: true }, magnitude)).toEqual({ low: 1, high: 4 });
  });
});

describe('every canny option changes the CPU edge map', () => {
  const input = loadNpyImage('noisy_square_u8.input.npy');
  const base: CannyParams = { sigma: 1, lowThreshold: 10, highThreshold: 40 };
  const baseEdges = Array.from(cannyCpu(input, base).data);
  const variants: [string, CannyParams][] = [
    ['sigma', { ...base, sigma: 1.5 }],
    ['lowThreshold', { ...base, lowThreshold: 20 }],
    ['highThreshold', { ...base, highThreshold: 60 }],
    ['useQuantiles', { sigma: 1, lowThreshold: 0.5, highThreshold: 0.9, useQuantiles: true }],
    ['mode', { ...base, mode: 'wrap' }],
    ['cval', { ...base, cval: 0.5 }],
  ];
  for (const [name, params] of variants) {
    it(`changes with ${name}`, () => {
      expect(Array.from(cannyCpu(input, params).data)).not.toEqual(baseEdges);
    });
  }
});
