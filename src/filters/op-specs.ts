/**
 * Each op's parameters as data: name, CLI flag, default, accepted values and the SciPy / scikit-image
 * equivalent. The one source for `validateOp`'s defaults and which parameters an op takes, for
 * `xray-gpu ops` and `--help`, and for docs/ops.md. Checked against SciPy 1.10 and scikit-image 0.19
 * signatures; where xray-gpu has a default the library lacks (sigma), `differs` says so.
 */
import type { BoundaryMode } from './boundary.js';
import type { OpName, OpParams } from './ops.js';

/** One parameter of one op. */
export interface ParamSpec {
  /** The `OpRequest` key (camelCase), e.g. `lowThreshold`. */
  readonly name: keyof OpParams;
  /** The CLI option, e.g. `--low-threshold`. */
  readonly flag: string;
  /** What it does, one line. */
  readonly description: string;
  /** The value `validateOp` uses when the parameter is absent; `undefined` when it depends on the image or on other parameters. */
  readonly default: number | string | boolean | undefined;
  /** The default as help shows it, e.g. `-1 (columns)`, `10% of the dtype's maximum`. */
  readonly defaultText: string;
  /** The accepted values in words, e.g. `a finite number > 0, or ROWS,COLS per axis`. */
  readonly accepts: string;
  /** The same parameter in SciPy / scikit-image with its default there, e.g. `axis=-1`; null where the library has none. */
  readonly scipy: string | null;
  /** Why xray-gpu's default differs from the library's (or what the library lacks); absent where they agree. */
  readonly differs?: string;
}

/** One op: what it computes, its SciPy / scikit-image / NumPy equivalent, its parameters. */
export interface OpSpec {
  readonly op: OpName;
  /** What the op computes, one line. */
  readonly summary: string;
  /** The call it reproduces, with that library's defaults written out. */
  readonly equivalent: string;
  /** Every parameter it takes, in the equivalent call's order; `validateOp` rejects any other. */
  readonly params: readonly ParamSpec[];
}

/** Default sigma per op: SciPy has none for its Gaussians, so these are the NumPy tutorial's (skimage's 1 for canny). */
export const DEFAULT_SIGMA: Readonly<Record<OpName, number>> = {
  gaussian: 1,
  'gaussian-laplace': 1,
  'gaussian-gradient-magnitude': 2,
  sobel: 0,
  prewitt: 0,
  laplace: 0,
  'sobel-magnitude': 0,
  'prewitt-magnitude': 0,
  'fourier-gaussian': 0.05,
  'tutorial-canny': 0.05,
  mask: 0,
  'mask-binary': 0,
  canny: 1,
};
/** The tutorial's mask threshold, `xray_image > 150`. */
export const DEFAULT_THRESHOLD = 150;
/** SciPy's `truncate=4.0`. */
export const DEFAULT_TRUNCATE = 4.0;
/** SciPy's `axis=-1` for sobel and prewitt: the last axis, columns (x). */
export const DEFAULT_AXIS = -1;

const SIGMA_ACCEPTS = 'a finite number > 0, or ROWS,COLS per axis';
/** Ops whose sigma may be 0 (no smoothing along that axis, as in SciPy). */
const SIGMA_ACCEPTS_ZERO = 'a finite number >= 0, or ROWS,COLS per axis';

function sigma(op: OpName, scipy: string | null, differs: string | undefined, accepts = SIGMA_ACCEPTS): ParamSpec {
  return {
    name: 'sigma',
    flag: '--sigma',
    description: 'Gaussian standard deviation in pixels',
    default: DEFAULT_SIGMA[op],
    defaultText: String(DEFAULT_SIGMA[op]),
    accepts,
    scipy,
    ...(differs === undefined ? {} : { differs }),
  };
}

function mode(defaultMode: BoundaryMode = 'reflect', scipy = "mode='reflect'"): ParamSpec {
  return {
    name: 'mode',
    flag: '--mode',
    description: 'how the image extends beyond its border',
    default: defaultMode,
    defaultText: defaultMode,
    accepts: 'reflect, mirror, nearest, constant, wrap',
    scipy,
  };
}

function cval(scipy = 'cval=0.0'): ParamSpec {
  return {
    name: 'cval',
    flag: '--cval',
    description: 'the value beyond the border in constant mode',
    default: 0,
    defaultText: '0',
    accepts: 'a finite number',
    scipy,
  };
}

const TRUNCATE: ParamSpec = {
  name: 'truncate',
  flag: '--truncate',
  description: 'kernel radius in sigmas: int(truncate * sigma + 0.5)',
  default: DEFAULT_TRUNCATE,
  defaultText: String(DEFAULT_TRUNCATE),
  accepts: 'a finite number >= 0',
  scipy: 'truncate=4.0',
};

const RADIUS: ParamSpec = {
  name: 'radius',
  flag: '--radius',
  description: 'kernel radius in pixels, overriding truncate',
  default: undefined,
  defaultText: 'from truncate',
  accepts: 'an integer >= 0',
  scipy: 'radius=None',
};

const AXIS: ParamSpec = {
  name: 'axis',
  flag: '--axis',
  description: 'the derivative axis',
  default: DEFAULT_AXIS,
  defaultText: '-1 (columns, x)',
  accepts: '0 or -2 (rows, y), 1 or -1 (columns, x)',
  scipy: 'axis=-1',
};

const NO_SCIPY_SIGMA = "SciPy's sigma is required; this is the NumPy tutorial's value";

function threshold(): ParamSpec {
  return {
    name: 'threshold',
    flag: '--threshold',
    description: 'keep pixels strictly above this',
    default: DEFAULT_THRESHOLD,
    defaultText: String(DEFAULT_THRESHOLD),
    accepts: 'a finite number',
    scipy: null,
    differs: "NumPy has no such function; 150 is the tutorial's threshold",
  };
}

const GAUSSIAN_KERNEL = [TRUNCATE, RADIUS];

/** Every op's specification, keyed by op name. */
export const OP_SPECS: Readonly<Record<OpName, OpSpec>> = {
  gaussian: {
    op: 'gaussian',
    summary: 'Gaussian smoothing, or a Gaussian derivative with order > 0',
    equivalent: "scipy.ndimage.gaussian_filter(x, sigma, order=0, mode='reflect', cval=0.0, truncate=4.0, radius=None)",
    params: [
      sigma('gaussian', 'sigma (required)', "SciPy's sigma is required; 1 is skimage.filters.gaussian's default", SIGMA_ACCEPTS_ZERO),
      {
        name: 'order',
        flag: '--order',
        description: 'derivative order of the Gaussian per axis',
        default: 0,
        defaultText: '0',
        accepts: '0, 1, 2 or 3, or ROWS,COLS per axis',
        scipy: 'order=0',
      },
      mode(),
      cval(),
      ...GAUSSIAN_KERNEL,
    ],
  },
  'gaussian-laplace': {
    op: 'gaussian-laplace',
    summary: 'Laplacian of Gaussian',
    equivalent: "scipy.ndimage.gaussian_laplace(x, sigma, mode='reflect', cval=0.0, truncate=4.0, radius=None)",
    params: [sigma('gaussian-laplace', 'sigma (required)', NO_SCIPY_SIGMA), mode(), cval(), ...GAUSSIAN_KERNEL],
  },
  'gaussian-gradient-magnitude': {
    op: 'gaussian-gradient-magnitude',
    summary: 'gradient magnitude of the Gaussian-smoothed image',
    equivalent: "scipy.ndimage.gaussian_gradient_magnitude(x, sigma, mode='reflect', cval=0.0, truncate=4.0, radius=None)",
    params: [sigma('gaussian-gradient-magnitude', 'sigma (required)', NO_SCIPY_SIGMA), mode(), cval(), ...GAUSSIAN_KERNEL],
  },
  sobel: {
    op: 'sobel',
    summary: 'Sobel derivative along one axis (unscaled)',
    equivalent: "scipy.ndimage.sobel(x, axis=-1, mode='reflect', cval=0.0)",
    params: [AXIS, mode(), cval()],
  },
  prewitt: {
    op: 'prewitt',
    summary: 'Prewitt derivative along one axis (unscaled)',
    equivalent: "scipy.ndimage.prewitt(x, axis=-1, mode='reflect', cval=0.0)",
    params: [AXIS, mode(), cval()],
  },
  laplace: {
    op: 'laplace',
    summary: 'discrete Laplacian [1, -2, 1] along both axes',
    equivalent: "scipy.ndimage.laplace(x, mode='reflect', cval=0.0)",
    params: [mode(), cval()],
  },
  'sobel-magnitude': {
    op: 'sobel-magnitude',
    summary: 'Sobel gradient magnitude scaled to 0..255, as the tutorial',
    equivalent: 'm = numpy.hypot(ndimage.sobel(x, axis=0), ndimage.sobel(x, axis=1)); m * (255 / m.max())',
    params: [mode(), cval()],
  },
  'prewitt-magnitude': {
    op: 'prewitt-magnitude',
    summary: 'Prewitt gradient magnitude scaled to 0..255, as the tutorial',
    equivalent: 'm = numpy.hypot(ndimage.prewitt(x, axis=0), ndimage.prewitt(x, axis=1)); m * (255 / m.max())',
    params: [mode(), cval()],
  },
  'fourier-gaussian': {
    op: 'fourier-gaussian',
    summary: 'Gaussian factors of the Fourier domain applied to the real image, as the tutorial does',
    equivalent: 'scipy.ndimage.fourier_gaussian(x, sigma, n=-1)',
    params: [sigma('fourier-gaussian', 'sigma (required)', NO_SCIPY_SIGMA, SIGMA_ACCEPTS_ZERO)],
  },
  'tutorial-canny': {
    op: 'tutorial-canny',
    summary: "the tutorial's \"Canny\": prewitt-magnitude of fourier-gaussian",
    equivalent: 'f = ndimage.fourier_gaussian(x, sigma=0.05); m = numpy.hypot(ndimage.prewitt(f, axis=0), ndimage.prewitt(f, axis=1)); m * (255 / m.max())',
    params: [
      sigma('tutorial-canny', 'fourier_gaussian sigma (required)', NO_SCIPY_SIGMA, SIGMA_ACCEPTS_ZERO),
      mode('reflect', "mode='reflect' (of prewitt)"),
      cval('cval=0.0 (of prewitt)'),
    ],
  },
  mask: {
    op: 'mask',
    summary: 'keep pixels above the threshold, zero elsewhere',
    equivalent: 'numpy.where(x > threshold, x, 0)',
    params: [threshold()],
  },
  'mask-binary': {
    op: 'mask-binary',
    summary: '1 where the pixel is above the threshold, else 0',
    equivalent: 'numpy.where(x > threshold, 1, 0)',
    params: [threshold()],
  },
  canny: {
    op: 'canny',
    summary: 'Canny edge detector: 1 on edges, 0 elsewhere',
    equivalent: "skimage.feature.canny(x, sigma=1.0, low_threshold=None, high_threshold=None, use_quantiles=False, mode='constant', cval=0.0)",
    params: [
      sigma('canny', 'sigma=1.0', undefined),
      {
        name: 'lowThreshold',
        flag: '--low-threshold',
        description: 'weak-edge bound on the gradient magnitude, in input dtype units (or a quantile)',
        default: undefined,
        defaultText: "10% of the dtype's maximum (0.1 with use-quantiles)",
        accepts: 'a finite number (a quantile in [0, 1] with use-quantiles), <= high-threshold',
        scipy: 'low_threshold=None',
      },
      {
        name: 'highThreshold',
        flag: '--high-threshold',
        description: 'strong-edge bound on the gradient magnitude, in input dtype units (or a quantile)',
        default: undefined,
        defaultText: "20% of the dtype's maximum (0.2 with use-quantiles)",
        accepts: 'a finite number (a quantile in [0, 1] with use-quantiles), >= low-threshold',
        scipy: 'high_threshold=None',
      },
      {
        name: 'useQuantiles',
        flag: '--use-quantiles',
        description: 'the thresholds are quantiles of the gradient magnitude',
        default: false,
        defaultText: 'false',
        accepts: 'true or false',
        scipy: 'use_quantiles=False',
      },
      mode('constant', "mode='constant'"),
      cval(),
    ],
  },
};

/** The specification of `op` (its parameters, defaults and SciPy / scikit-image equivalent). */
export function opSpec(op: OpName): OpSpec {
  return OP_SPECS[op];
}
