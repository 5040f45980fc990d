/**
 * The NumPy "X-ray image processing" tutorial as named stages. Each stage is one engine request, so a
 * whole image is a single `Engine.run` call (one command encoder and one submit on the GPU engine).
 *
 * Tutorial (numpy-tutorials, tutorial-x-ray-image-processing):
 *   ndimage.gaussian_laplace(x, sigma=1)
 *   ndimage.gaussian_gradient_magnitude(x, sigma=2)
 *   hypot(ndimage.sobel(x, axis=0), ndimage.sobel(x, axis=1)) * 255 / max        shown in gray, CMRmap, hot
 *   hypot(prewitt(fourier_gaussian(x, sigma=0.05), 0), prewitt(..., 1)) * 255/max  shown in prism, nipy_spectral, terrain
 *   np.where(x > 150, x, 0) and np.where(x > 150, 1, 0)
 *   ndimage.histogram(x, min=np.min(x), max=np.max(x), bins=256)
 */
import type { OpRequest } from '../filters/ops.js';

/** The tutorial pipeline's parameters (sigmas, threshold, colormaps, bins). */
export interface TutorialParams {
  /** sigma of the Laplacian of Gaussian. Tutorial: 1. */
  logSigma: number;
  /** sigma of the Gaussian gradient magnitude. Tutorial: 2. */
  gradientSigma: number;
  /** sigma of fourier_gaussian before the Prewitt "Canny". Tutorial: 0.05. */
  fourierSigma: number;
  /** Mask threshold, `x > threshold`. Tutorial: 150. */
  threshold: number;
  /** Colormaps for the Sobel magnitude. Tutorial: gray, CMRmap, hot. */
  sobelColormaps: string[];
  /** Colormaps for the tutorial's "Canny". Tutorial: prism, nipy_spectral, terrain. */
  cannyColormaps: string[];
  /** Histogram bins between the image's min and max. Tutorial: 256. */
  histogramBins: number;
  /** sigma of the true Canny (skimage.feature.canny) panel, which the tutorial lacks. Default 2. */
  cannySigma: number;
}

/** The NumPy tutorial's parameters. */
export const TUTORIAL_DEFAULTS: Readonly<TutorialParams> = Object.freeze({
  logSigma: 1,
  gradientSigma: 2,
  fourierSigma: 0.05,
  threshold: 150,
  sobelColormaps: ['gray', 'CMRmap', 'hot'],
  cannyColormaps: ['prism', 'nipy_spectral', 'terrain'],
  histogramBins: 256,
  cannySigma: 2,
});

/** The name of a tutorial output: its op's name (files, JSON keys and .npy names use it, as `batch` and `filter` do). */
export type TutorialStageKey =
  | 'gaussian-laplace'
  | 'gaussian-gradient-magnitude'
  | 'sobel-magnitude'
  | 'tutorial-canny'
  | 'mask'
  | 'mask-binary'
  | 'canny';

/** One output of the tutorial: its key, title, op request and colormaps. */
export interface TutorialStage {
  key: TutorialStageKey;
  /** Panel title, as in the tutorial's figures. */
  title: string;
  request: OpRequest;
  /** Colormaps the stage is shown in (one PNG each). */
  colormaps: string[];
  /**
   * True when the colormaps are a choice (a flag): each file is then named `<key>-<colormap>.png`
   * whatever the choice, so scripts can rely on the names; stages always shown in gray are `<key>.png`.
   */
  colormapInName: boolean;
}

/** The tutorial's own filter stages for the given parameters, in the tutorial's order (what the peers in bench/ compute). */
export function tutorialStages(params: TutorialParams = TUTORIAL_DEFAULTS): TutorialStage[] {
  return [
    {
      key: 'gaussian-laplace',
      title: `Laplacian of Gaussian (σ=${params.logSigma})`,
      request: { op: 'gaussian-laplace', sigma: params.logSigma },
      colormaps: ['gray'],
      colormapInName: false,
    },
    {
      key: 'gaussian-gradient-magnitude',
      title: `Gaussian gradient magnitude (σ=${params.gradientSigma})`,
      request: { op: 'gaussian-gradient-magnitude', sigma: params.gradientSigma },
      colormaps: ['gray'],
      colormapInName: false,
    },
    {
      key: 'sobel-magnitude',
      title: 'Sobel magnitude',
      request: { op: 'sobel-magnitude' },
      colormaps: params.sobelColormaps,
      colormapInName: true,
    },
    {
      key: 'tutorial-canny',
      title: `Tutorial "Canny" (Fourier-Gaussian σ=${params.fourierSigma} + Prewitt)`,
      request: { op: 'tutorial-canny', sigma: params.fourierSigma },
      colormaps: params.cannyColormaps,
      colormapInName: true,
    },
    {
      key: 'mask',
      title: `Mask x > ${params.threshold} (values kept)`,
      request: { op: 'mask', threshold: params.threshold },
      colormaps: ['gray'],
      colormapInName: false,
    },
    {
      key: 'mask-binary',
      title: `Mask x > ${params.threshold} (0/1)`,
      request: { op: 'mask-binary', threshold: params.threshold },
      colormaps: ['gray'],
      colormapInName: false,
    },
  ];
}

/** The stages `xray-gpu run` shows: the tutorial's, then the true Canny (skimage.feature.canny) it lacks. */
export function runStages(params: TutorialParams = TUTORIAL_DEFAULTS): TutorialStage[] {
  return [
    ...tutorialStages(params),
    {
      key: 'canny',
      title: `Canny (true, σ=${params.cannySigma})`,
      request: { op: 'canny', sigma: params.cannySigma },
      colormaps: ['gray'],
      colormapInName: false,
    },
  ];
}
