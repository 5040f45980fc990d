/**
 * The operations both engines offer, their parameters, defaults and validation. An engine receives
 * only requests that went through `validateOp`, so engines never re-check parameters.
 */
import { type BoundaryMode, validateMode } from './boundary.js';
import { CANNY_DEFAULT_MODE, type ResolvedCannyParams, validateCannyParams } from './canny.js';
import { type Axis, validateAxis } from './edges.js';
import { type ResolvedClahe, validateClaheOptions } from './clahe.js';
import { type ResizeMethod, validateResizeMethod, validateResizeSize } from './resize.js';

export const OP_NAMES = [
  'gaussian', // ndimage.gaussian_filter(x, sigma, order)
  'gaussian-laplace', // ndimage.gaussian_laplace(x, sigma)
  'gaussian-gradient-magnitude', // ndimage.gaussian_gradient_magnitude(x, sigma)
  'sobel', // ndimage.sobel(x, axis)
  'prewitt', // ndimage.prewitt(x, axis)
  'laplace', // ndimage.laplace(x)
  'sobel-magnitude', // hypot(sobel(x, 0), sobel(x, 1)) * 255 / max
  'prewitt-magnitude', // hypot(prewitt(x, 0), prewitt(x, 1)) * 255 / max
  'fourier-gaussian', // ndimage.fourier_gaussian(x, sigma) applied to the real image, as the tutorial does
  'tutorial-canny', // the tutorial's "Canny": prewitt-magnitude of fourier_gaussian(x, sigma=0.05)
  'mask', // where(x > threshold, x, 0)
  'mask-binary', // where(x > threshold, 1, 0)
  'canny', // skimage.feature.canny(x, sigma, low_threshold, high_threshold, use_quantiles=, mode=, cval=): 0/1 edges
  'resize', // skimage.transform.resize(x, (height, width), order=1, ...) or cv2.resize INTER_AREA: another size
  'clahe', // round(255 * skimage.exposure.equalize_adapthist(x, kernel_size, clip_limit, nbins)) of an 8-bit image
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** What a caller may pass; every field is optional and defaulted by `validateOp`. */
export interface OpParams {
  sigma?: number | readonly [number, number];
  /** Gaussian derivative order per axis (rows, columns) for `gaussian`. */
  order?: number | readonly [number, number];
  axis?: number;
  mode?: BoundaryMode;
  cval?: number;
  truncate?: number;
  radius?: number;
  threshold?: number;
  /** canny: hysteresis thresholds (input dtype units, or quantiles with useQuantiles). */
  lowThreshold?: number;
  highThreshold?: number;
  useQuantiles?: boolean;
  /** resize: output size and method (see ./resize.ts). */
  height?: number;
  width?: number;
  method?: ResizeMethod;
  /** clahe: see ./clahe.ts. */
  clipLimit?: number;
  kernelSize?: number | readonly [number, number];
  nbins?: number;
}

export interface OpRequest extends OpParams {
  op: OpName;
}

/** A validated request: every parameter the op uses is present and in range. */
export interface ResolvedOp {
  op: OpName;
  /** Per axis: [rows (y), columns (x)]. */
  sigma: [number, number];
  order: [0 | 1 | 2 | 3, 0 | 1 | 2 | 3];
  axis: Axis;
  mode: BoundaryMode;
  cval: number;
  truncate: number;
  radius: number | undefined;
  threshold: number;
  /** op `canny` only: its validated parameters (thresholds resolved per image dtype by the engine). */
  canny: ResolvedCannyParams | undefined;
  /** op `resize` only: the output size and method. */
  resize: { height: number; width: number; method: ResizeMethod } | undefined;
  /** op `clahe` only. */
  clahe: ResolvedClahe | undefined;
}

/** Defaults: SciPy's, and the tutorial's where SciPy has none. */
export const DEFAULT_SIGMA: Record<OpName, number> = {
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
  resize: 0,
  clahe: 0,
};
export const DEFAULT_THRESHOLD = 150;

/** Which parameters each op reads; anything else given is an error, not silently ignored. */
const PARAMS_USED: Record<OpName, readonly (keyof OpParams)[]> = {
  gaussian: ['sigma', 'order', 'mode', 'cval', 'truncate', 'radius'],
  'gaussian-laplace': ['sigma', 'mode', 'cval', 'truncate', 'radius'],
  'gaussian-gradient-magnitude': ['sigma', 'mode', 'cval', 'truncate', 'radius'],
  sobel: ['axis', 'mode', 'cval'],
  prewitt: ['axis', 'mode', 'cval'],
  laplace: ['mode', 'cval'],
  'sobel-magnitude': ['mode', 'cval'],
  'prewitt-magnitude': ['mode', 'cval'],
  'fourier-gaussian': ['sigma'],
  'tutorial-canny': ['sigma', 'mode', 'cval'],
  mask: ['threshold'],
  'mask-binary': ['threshold'],
  canny: ['sigma', 'lowThreshold', 'highThreshold', 'useQuantiles', 'mode', 'cval'],
  resize: ['height', 'width', 'method'],
  clahe: ['clipLimit', 'kernelSize', 'nbins'],
};

export function paramsUsedBy(op: OpName): readonly (keyof OpParams)[] {
  return PARAMS_USED[op];
}

export function validateOpName(op: unknown): OpName {
  if (typeof op === 'string' && (OP_NAMES as readonly string[]).includes(op)) return op as OpName;
  throw new RangeError(`op must be one of ${OP_NAMES.join(', ')}; got ${JSON.stringify(op)}`);
}

export function validateOp(request: OpRequest): ResolvedOp {
  const op = validateOpName(request.op);
  const used = PARAMS_USED[op];
  for (const key of Object.keys(request) as (keyof OpRequest)[]) {
    if (key === 'op' || request[key] === undefined) continue;
    if (!used.includes(key)) {
      throw new RangeError(`op ${op} does not take ${key}; it takes ${used.length ? used.join(', ') : 'no parameters'}`);
    }
  }
  const sigma = pair(request.sigma ?? DEFAULT_SIGMA[op], 'sigma');
  const sigmaFloor = op === 'fourier-gaussian' || op === 'tutorial-canny' || op === 'gaussian' ? 0 : Number.MIN_VALUE;
  // Ops without a sigma (sobel, masks, ...) carry the default 0, which only sigma-taking ops check.
  for (const s of used.includes('sigma') ? sigma : []) {
    if (!Number.isFinite(s) || s < sigmaFloor) {
      throw new RangeError(`sigma must be a finite number ${sigmaFloor === 0 ? '>= 0' : '> 0'}, got ${s}`);
    }
  }
  const order = pair(request.order ?? 0, 'order').map((o) => {
    if (!Number.isInteger(o) || o < 0 || o > 3) throw new RangeError(`order must be 0, 1, 2 or 3, got ${o}`);
    return o as 0 | 1 | 2 | 3;
  }) as [0 | 1 | 2 | 3, 0 | 1 | 2 | 3];
  const truncate = request.truncate ?? 4.0;
  if (!Number.isFinite(truncate) || truncate < 0) throw new RangeError(`truncate must be a finite number >= 0, got ${truncate}`);
  if (request.radius !== undefined && (!Number.isInteger(request.radius) || request.radius < 0)) {
    throw new RangeError(`radius must be a non-negative integer, got ${request.radius}`);
  }
  const cval = request.cval ?? 0;
  if (!Number.isFinite(cval)) throw new RangeError(`cval must be a finite number, got ${cval}`);
  const threshold = request.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be a finite number, got ${threshold}`);
  return {
    op,
    sigma,
    order,
    axis: validateAxis(request.axis ?? 0),
    mode: validateMode(request.mode ?? (op === 'canny' ? CANNY_DEFAULT_MODE : 'reflect')),
    cval,
    truncate,
    radius: request.radius,
    threshold,
    canny:
      op === 'canny'
        ? validateCannyParams({
            sigma,
            lowThreshold: request.lowThreshold,
            highThreshold: request.highThreshold,
            useQuantiles: request.useQuantiles,
            mode: request.mode,
            cval: request.cval,
          })
        : undefined,
    resize: op === 'resize'
      ? { ...validateResizeSize(request.height, request.width), method: validateResizeMethod(request.method ?? 'skimage') }
      : undefined,
    clahe: op === 'clahe'
      ? validateClaheOptions({ clipLimit: request.clipLimit, kernelSize: request.kernelSize, nbins: request.nbins })
      : undefined,
  };
}

/** The [width, height] of an op's result on a width x height image (only resize changes it). */
export function resultSize(op: ResolvedOp, width: number, height: number): [number, number] {
  return op.resize ? [op.resize.width, op.resize.height] : [width, height];
}

function pair(value: number | readonly number[], name: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (value.length !== 2) throw new RangeError(`${name} must be a number or a pair [rows, columns], got ${value.length} values`);
  return [value[0], value[1]];
}

/**
 * `validateOp` for request `index` of an engine call: an error names the request and its position,
 * so a caller passing many requests knows which one is wrong. Engines validate every request before
 * computing any, so a bad request costs no work.
 */
export function validateRequest(request: OpRequest, index: number): ResolvedOp {
  try {
    return validateOp(request);
  } catch (error) {
    throw new RangeError(`request ${index} (${JSON.stringify(request)}) is invalid: ${(error as Error).message}`, { cause: error });
  }
}
