// The viewer's panel table: titles as in the comparison figure, which controls each panel reads, and control validation.
import { describe, expect, it } from 'vitest';
import { VIEWER_DEFAULTS, panelSpecs, panelTitle, panelsAffectedBy, validateParams } from '../../web/src/panels.js';
import { niceTicks } from '../../web/src/draw.js';

describe('viewer panels', () => {
  it('lists the original, the tutorial stages in order and the true Canny, with the figure titles and first colormaps', () => {
    const specs = panelSpecs(VIEWER_DEFAULTS);
    expect(specs.map((s) => [s.key, panelTitle(s, s.colormap)])).toEqual([
      ['original', 'Original'],
      ['gaussian-laplace', 'Laplacian of Gaussian (σ=1)'],
      ['gaussian-gradient-magnitude', 'Gaussian gradient magnitude (σ=2)'],
      ['sobel-magnitude', 'Sobel magnitude, gray'],
      ['tutorial-canny', 'Tutorial "Canny" (Fourier-Gaussian σ=0.05 + Prewitt), prism'],
      ['mask', 'Mask x > 150 (values kept)'],
      ['mask-binary', 'Mask x > 150 (0/1)'],
      ['canny', 'Canny (true, σ=2, thresholds 0.1..0.2 of max)'],
    ]);
    expect(specs.find((s) => s.key === 'canny')!.request).toEqual({ op: 'canny', sigma: 2, lowThreshold: 25.5, highThreshold: 51 });
    // scikit-image's defaults in each dtype's units: 10% and 20% of 65535 for uint16, as-is for float.
    expect(panelSpecs(VIEWER_DEFAULTS, 'uint16').find((s) => s.key === 'canny')!.request).toMatchObject({ lowThreshold: 6553.5, highThreshold: 13107 });
    expect(panelSpecs(VIEWER_DEFAULTS, 'float64').find((s) => s.key === 'canny')!.request).toMatchObject({ lowThreshold: 0.1, highThreshold: 0.2 });
  });

  it('builds each request from the controls', () => {
    const specs = panelSpecs({ ...VIEWER_DEFAULTS, logSigma: 3, threshold: 99 });
    expect(specs.find((s) => s.key === 'gaussian-laplace')!.request).toEqual({ op: 'gaussian-laplace', sigma: 3 });
    expect(specs.find((s) => s.key === 'mask-binary')!.request).toEqual({ op: 'mask-binary', threshold: 99 });
  });

  it('a control change affects only the panels that read it', () => {
    expect(panelsAffectedBy(['logSigma'])).toEqual(['gaussian-laplace']);
    expect(panelsAffectedBy(['gradientSigma'])).toEqual(['gaussian-gradient-magnitude']);
    expect(panelsAffectedBy(['threshold'])).toEqual(['mask', 'mask-binary']);
    expect(panelsAffectedBy(['cannySigma', 'cannyLow'])).toEqual(['canny']);
    expect(panelsAffectedBy([])).toEqual([]);
  });

  it('rejects bad control values in one line naming the control and the value', () => {
    expect(() => validateParams({ ...VIEWER_DEFAULTS, logSigma: 0 })).toThrow('logSigma must be a finite number > 0, got 0');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, threshold: NaN })).toThrow('threshold must be a finite number, got NaN');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, cannyLow: 0.3 })).toThrow('Canny low threshold must be <= high threshold, got 0.3 > 0.2');
    expect(() => validateParams(VIEWER_DEFAULTS)).not.toThrow();
  });

  it('histogram ticks are round numbers inside the range', () => {
    expect(niceTicks(0, 255, 6)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(niceTicks(-0.5, 0.5, 4)).toEqual([-0.5, 0, 0.5]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
  });
});
