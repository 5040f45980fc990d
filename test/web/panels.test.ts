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
      ['resize', 'Resized: 224x224 (skimage.transform.resize)'],
      ['clahe', 'CLAHE (clip 0.01, kernel 1/8 of each side) of the resized levels'],
    ]);
    expect(specs.map((s) => s.group)).toEqual([...Array(8).fill('tutorial'), 'prepare', 'prepare']);
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

  it("training preparation: prepare's defaults, its stages as resize then clahe on the resized levels, crop as the resize's input", () => {
    const specs = panelSpecs(VIEWER_DEFAULTS);
    const resize = specs.find((s) => s.key === 'resize')!;
    const clahe = specs.find((s) => s.key === 'clahe')!;
    expect([resize.request, resize.input]).toEqual([{ op: 'resize', height: 224, width: 224, method: 'skimage' }, 'image']);
    expect([clahe.request, clahe.input]).toEqual([{ op: 'clahe', clipLimit: 0.01 }, 'resize-levels']);
    const custom = panelSpecs({ ...VIEWER_DEFAULTS, crop: 'center', size: '32x48', resize: 'area', claheClip: 0.02, claheKernel: '4x6' });
    const [r, c] = ['resize', 'clahe'].map((key) => custom.find((s) => s.key === key)!);
    expect([r.title, r.request, r.input]).toEqual(['Resized: center crop, 32x48 (cv2 INTER_AREA)', { op: 'resize', height: 32, width: 48, method: 'area' }, 'center-crop']);
    expect([c.title, c.request]).toEqual(['CLAHE (clip 0.02, kernel 4x6) of the resized levels', { op: 'clahe', clipLimit: 0.02, kernelSize: [4, 6] }]);
    // prepare takes 8-bit images: no CLAHE (of 8-bit levels) for others, and the caption says so.
    const wide = panelSpecs(VIEWER_DEFAULTS, 'uint16').find((s) => s.key === 'clahe')!;
    expect([wide.request, wide.title]).toEqual([undefined, 'CLAHE: prepare takes 8-bit images, this one is uint16']);
  });

  it('a control change affects only the panels that read it', () => {
    expect(panelsAffectedBy(['logSigma'])).toEqual(['gaussian-laplace']);
    expect(panelsAffectedBy(['gradientSigma'])).toEqual(['gaussian-gradient-magnitude']);
    expect(panelsAffectedBy(['threshold'])).toEqual(['mask', 'mask-binary']);
    expect(panelsAffectedBy(['cannySigma', 'cannyLow'])).toEqual(['canny']);
    expect(panelsAffectedBy([])).toEqual([]);
    expect(panelsAffectedBy(['claheClip'])).toEqual(['clahe']);
    expect(panelsAffectedBy(['claheKernel'])).toEqual(['clahe']);
    for (const name of ['crop', 'size', 'resize'] as const) expect(panelsAffectedBy([name])).toEqual(['resize', 'clahe']);
  });

  it('rejects bad control values in one line naming the control and the value', () => {
    expect(() => validateParams({ ...VIEWER_DEFAULTS, logSigma: 0 })).toThrow('logSigma must be a finite number > 0, got 0');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, threshold: NaN })).toThrow('threshold must be a finite number, got NaN');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, cannyLow: 0.3 })).toThrow('Canny low threshold must be <= high threshold, got 0.3 > 0.2');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, size: '224x' })).toThrow('size must be N or HxW with positive integers (e.g. 224 or 320x256), got "224x"');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, size: '0' })).toThrow('resize height must be an integer from 1 to 65536, got 0');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, claheClip: 1.5 })).toThrow('CLAHE clip limit must be in [0, 1], got 1.5');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, claheKernel: '0' })).toThrow('--clahe-kernel must be K or KHxKW (integers >= 1), got "0"');
    expect(() => validateParams({ ...VIEWER_DEFAULTS, resize: 'cubic' as never })).toThrow('resize must be one of skimage, area, got "cubic"');
    expect(() => validateParams(VIEWER_DEFAULTS)).not.toThrow();
  });

  it('histogram ticks are round numbers inside the range', () => {
    expect(niceTicks(0, 255, 6)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(niceTicks(-0.5, 0.5, 4)).toEqual([-0.5, 0, 0.5]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
  });
});
