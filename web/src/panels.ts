/**
 * The viewer's panels and controls as data: which stage each panel shows, which request computes it
 * for the current controls, and which panels a control change invalidates (so a change recomputes
 * only what it affects). Pure: no DOM, shared by the page and its tests.
 */
import { type ColormapName, type DType, type OpRequest, TUTORIAL_DEFAULTS, type TutorialStageKey, tutorialStages } from '../../src/index.js';

/** What the controls set; the defaults are the tutorial's (and scikit-image's for the true Canny). */
export interface ViewerParams {
  logSigma: number;
  gradientSigma: number;
  threshold: number;
  cannySigma: number;
  /**
   * skimage.feature.canny's thresholds as fractions of the image dtype's maximum (255 for uint8,
   * 65535 for uint16; float images take them as they are), so the defaults fit every dtype.
   */
  cannyLow: number;
  cannyHigh: number;
}

export type ParamName = keyof ViewerParams;

export const VIEWER_DEFAULTS: Readonly<ViewerParams> = Object.freeze({
  logSigma: TUTORIAL_DEFAULTS.logSigma,
  gradientSigma: TUTORIAL_DEFAULTS.gradientSigma,
  threshold: TUTORIAL_DEFAULTS.threshold,
  cannySigma: TUTORIAL_DEFAULTS.cannySigma,
  // scikit-image's defaults: 10% and 20% of the dtype's maximum.
  cannyLow: 0.1,
  cannyHigh: 0.2,
});

/** A panel: the original, or a tutorial output by its op name (the true Canny is `canny`, as in `run`). */
export type PanelKey = 'original' | TutorialStageKey;

export interface PanelSpec {
  key: PanelKey;
  /** The comparison figure's title (src/pipeline/tutorial-outputs.ts renderPanels), without the image name. */
  title: string;
  /** The request that computes it; undefined for the original image. */
  request: OpRequest | undefined;
  /** The tutorial's first colormap for the stage (the panel's initial choice). */
  colormap: ColormapName;
  /** Whether the title names the colormap (stages the tutorial shows in several). */
  colormapInTitle: boolean;
}

/** Which controls each computed panel reads; a change of any other control leaves the panel as it is. */
const READS: Record<Exclude<PanelKey, 'original'>, readonly ParamName[]> = {
  'gaussian-laplace': ['logSigma'],
  'gaussian-gradient-magnitude': ['gradientSigma'],
  'sobel-magnitude': [],
  'tutorial-canny': [],
  mask: ['threshold'],
  'mask-binary': ['threshold'],
  // The true Canny (skimage.feature.canny), named by its op as everywhere else.
  canny: ['cannySigma', 'cannyLow', 'cannyHigh'],
};

/** The largest value of an integer dtype (what skimage's img_as_float divides by); 1 for float images. */
export function dtypeMaximum(dtype: DType): number {
  return dtype === 'uint8' ? 255 : dtype === 'uint16' ? 65535 : 1;
}

/**
 * Every panel for `params` on an image of `dtype`, in the comparison figure's order: the original,
 * the tutorial's stages, the true Canny (its thresholds scaled to the dtype's units).
 */
export function panelSpecs(params: ViewerParams, dtype: DType = 'uint8'): PanelSpec[] {
  const stages = tutorialStages({ ...TUTORIAL_DEFAULTS, ...params });
  const panels: PanelSpec[] = [
    { key: 'original', title: 'Original', request: undefined, colormap: 'gray', colormapInTitle: false },
    ...stages.map((stage) => ({
      key: stage.key,
      title: stage.title,
      request: stage.request,
      colormap: stage.colormaps[0] as ColormapName,
      colormapInTitle: stage.colormapInName,
    })),
  ];
  panels.push({
    key: 'canny',
    title: `Canny (true, σ=${params.cannySigma}, thresholds ${params.cannyLow}..${params.cannyHigh} of max)`,
    request: {
      op: 'canny',
      sigma: params.cannySigma,
      lowThreshold: params.cannyLow * dtypeMaximum(dtype),
      highThreshold: params.cannyHigh * dtypeMaximum(dtype),
    },
    colormap: 'gray',
    colormapInTitle: false,
  });
  return panels;
}

/** The panel's title as shown: the stage title, then the colormap where the tutorial names it. */
export function panelTitle(spec: PanelSpec, colormap: string): string {
  return spec.colormapInTitle ? `${spec.title}, ${colormap}` : spec.title;
}

/** The computed panels that read any of `changed`. */
export function panelsAffectedBy(changed: Iterable<ParamName>): Exclude<PanelKey, 'original'>[] {
  const names = new Set(changed);
  return (Object.keys(READS) as Exclude<PanelKey, 'original'>[]).filter((key) => READS[key].some((name) => names.has(name)));
}

/** Checks a control value: finite, and in the range the op accepts (sigma > 0, low <= high), as one clear line. */
export function validateParams(params: ViewerParams): void {
  for (const name of ['logSigma', 'gradientSigma', 'cannySigma'] as const) {
    if (!(params[name] > 0 && Number.isFinite(params[name]))) throw new RangeError(`${name} must be a finite number > 0, got ${params[name]}`);
  }
  for (const name of ['threshold', 'cannyLow', 'cannyHigh'] as const) {
    if (!Number.isFinite(params[name])) throw new RangeError(`${name} must be a finite number, got ${params[name]}`);
  }
  if (params.cannyLow > params.cannyHigh) {
    throw new RangeError(`Canny low threshold must be <= high threshold, got ${params.cannyLow} > ${params.cannyHigh}`);
  }
}
