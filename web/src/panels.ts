/**
 * The viewer's panels and controls as data: which stage each panel shows, which request computes it
 * for the current controls, and which panels a control change invalidates (so a change recomputes
 * only what it affects). Pure: no DOM, shared by the page and its tests.
 */
import {
  type ColormapName,
  type DType,
  type OpRequest,
  type ResizeMethod,
  RESIZE_METHODS,
  TUTORIAL_DEFAULTS,
  type TutorialStageKey,
  parseResizeSize,
  tutorialStages,
} from '../../src/index.js';
import { CROPS, type Crop, parseKernel } from '../../src/pipeline/prepare/settings.js';

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
  /** Training preparation, as `xray-gpu prepare` takes it: --crop. */
  crop: Crop;
  /** --size: N or HxW (rows x columns). */
  size: string;
  /** --resize. */
  resize: ResizeMethod;
  /** --clahe-clip: skimage's clip_limit. */
  claheClip: number;
  /** --clahe-kernel: K or KHxKW; empty for skimage's default (1/8 of each side). */
  claheKernel: string;
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
  // xray-gpu prepare's defaults (src/cli/prepare.ts); --size has none there, 224 is the common training size.
  crop: 'none',
  size: '224',
  resize: 'skimage',
  claheClip: 0.01,
  claheKernel: '',
});

/** The controls that take text or a choice rather than a number. */
export const TEXT_PARAMS: readonly ParamName[] = ['crop', 'size', 'resize', 'claheKernel'];

/**
 * A panel: the original, a tutorial output by its op name (the true Canny is `canny`, as in `run`),
 * or a training-preparation stage by its op name (`resize`, then `clahe`, as `prepare` runs them).
 */
export type PanelKey = 'original' | TutorialStageKey | 'resize' | 'clahe';

/**
 * What a panel's request runs on: the image; its central square (prepare's --crop center); or the
 * `resize` panel's values as 8-bit levels (NumPy's rounding and clipping), which is what prepare's
 * CLAHE equalises.
 */
export type PanelInput = 'image' | 'center-crop' | 'resize-levels';

/** The page sections: the tutorial's panels, and prepare's stages ("Training preparation"). */
export type PanelGroup = 'tutorial' | 'prepare';

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
  /** What `request` runs on. */
  input: PanelInput;
  group: PanelGroup;
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
  resize: ['crop', 'size', 'resize'],
  // CLAHE equalises the resized levels, so it also reads what the resize reads.
  clahe: ['crop', 'size', 'resize', 'claheClip', 'claheKernel'],
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
    { key: 'original', title: 'Original', request: undefined, colormap: 'gray', colormapInTitle: false, input: 'image', group: 'tutorial' },
    ...stages.map((stage): PanelSpec => ({
      key: stage.key,
      title: stage.title,
      request: stage.request,
      colormap: stage.colormaps[0] as ColormapName,
      colormapInTitle: stage.colormapInName,
      input: 'image',
      group: 'tutorial',
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
    input: 'image',
    group: 'tutorial',
  });
  panels.push(...preparePanels(params, dtype));
  return panels;
}

/**
 * prepare's stages in its order: crop, resize, then CLAHE on the resized 8-bit levels. prepare
 * takes 8-bit images only; on others the resize still runs (the op takes any dtype) but CLAHE,
 * defined on 8-bit levels, is left out (no request; its caption says why).
 */
function preparePanels(params: ViewerParams, dtype: DType): PanelSpec[] {
  const { height, width } = parseResizeSize(params.size);
  const kernel = params.claheKernel.trim() === '' ? undefined : parseKernel(params.claheKernel);
  const crop = params.crop === 'center' ? 'center crop, ' : '';
  const claheTitle = `CLAHE (clip ${params.claheClip}, kernel ${kernel ? kernel.join('x') : '1/8 of each side'}) of the resized levels`;
  return [
    {
      key: 'resize',
      title: `Resized: ${crop}${height}x${width} (${params.resize === 'skimage' ? 'skimage.transform.resize' : 'cv2 INTER_AREA'})`,
      request: { op: 'resize', height, width, method: params.resize },
      colormap: 'gray',
      colormapInTitle: false,
      input: params.crop === 'center' ? 'center-crop' : 'image',
      group: 'prepare',
    },
    {
      key: 'clahe',
      title: dtype === 'uint8' ? claheTitle : `CLAHE: prepare takes 8-bit images, this one is ${dtype}`,
      request: dtype === 'uint8' ? { op: 'clahe', clipLimit: params.claheClip, ...(kernel ? { kernelSize: kernel } : {}) } : undefined,
      colormap: 'gray',
      colormapInTitle: false,
      input: 'resize-levels',
      group: 'prepare',
    },
  ];
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
  if (!CROPS.includes(params.crop)) throw new RangeError(`crop must be one of ${CROPS.join(', ')}, got ${JSON.stringify(params.crop)}`);
  if (!RESIZE_METHODS.includes(params.resize)) throw new RangeError(`resize must be one of ${RESIZE_METHODS.join(', ')}, got ${JSON.stringify(params.resize)}`);
  parseResizeSize(params.size);
  // prepare's --clahe-clip range (skimage's clip_limit is a fraction of a tile's pixels).
  if (!(params.claheClip >= 0 && params.claheClip <= 1)) throw new RangeError(`CLAHE clip limit must be in [0, 1], got ${params.claheClip}`);
  if (params.claheKernel.trim() !== '') parseKernel(params.claheKernel);
}
