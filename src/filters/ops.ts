/**
 * The operations both engines offer, their parameters, defaults and validation. An engine receives
 * only requests that went through `validateOp`, so engines never re-check parameters.
 */
import { type BoundaryMode, validateMode } from './boundary.js';
import { type CannyParams, type ResolvedCannyParams, validateCannyParams } from './canny.js';
import { type Axis, validateAxis } from './edges.js';
import { checkParameterLimits } from './limits.js';
import { DEFAULT_AXIS, DEFAULT_SIGMA, DEFAULT_THRESHOLD, DEFAULT_TRUNCATE, OP_SPECS } from './op-specs.js';

export {
  DEFAULT_AXIS,
  DEFAULT_SIGMA,
  DEFAULT_THRESHOLD,
  DEFAULT_TRUNCATE,
  OP_SPECS,
  opSpec,
  type OpSpec,
  type ParamSpec,
} from './op-specs.js';

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
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Sigma of a Gaussian: one value for both axes, or a pair [rows, columns]. */
export type Sigma = number | readonly [number, number];
/** An axis as SciPy takes it for a 2-D image: 0 or -2 is rows (y), 1 or -1 is columns (x). */
export type AxisInput = 0 | 1 | -1 | -2;

/** Border handling (SciPy's `mode=` and `cval=`). */
export interface BoundaryParams {
  /** How the image extends beyond its border. Default `reflect` (`constant` for canny). */
  mode?: BoundaryMode;
  /** The value beyond the border in `constant` mode. Default 0. */
  cval?: number;
}

/** Size of a Gaussian kernel (SciPy's `truncate=` and `radius=`). */
export interface GaussianKernelParams {
  /** Kernel radius in sigmas, `int(truncate * sigma + 0.5)`. Default 4. */
  truncate?: number;
  /** Kernel radius in pixels, overriding `truncate`. */
  radius?: number;
}

/** `scipy.ndimage.gaussian_filter(x, sigma, order)`. */
export interface GaussianRequest extends BoundaryParams, GaussianKernelParams {
  op: 'gaussian';
  /** Default 1 (SciPy has none). */
  sigma?: Sigma;
  /** Gaussian derivative order per axis, 0..3, or a pair [rows, columns]. Default 0. */
  order?: number | readonly [number, number];
}
/** `scipy.ndimage.gaussian_laplace(x, sigma)`. */
export interface GaussianLaplaceRequest extends BoundaryParams, GaussianKernelParams {
  op: 'gaussian-laplace';
  /** Default 1, the tutorial's (SciPy has none). */
  sigma?: Sigma;
}
/** `scipy.ndimage.gaussian_gradient_magnitude(x, sigma)`. */
export interface GaussianGradientMagnitudeRequest extends BoundaryParams, GaussianKernelParams {
  op: 'gaussian-gradient-magnitude';
  /** Default 2, the tutorial's (SciPy has none). */
  sigma?: Sigma;
}
/** `scipy.ndimage.sobel(x, axis)`. */
export interface SobelRequest extends BoundaryParams {
  op: 'sobel';
  /** The derivative axis. Default -1 (columns), as SciPy. */
  axis?: AxisInput;
}
/** `scipy.ndimage.prewitt(x, axis)`. */
export interface PrewittRequest extends BoundaryParams {
  op: 'prewitt';
  /** The derivative axis. Default -1 (columns), as SciPy. */
  axis?: AxisInput;
}
/** `scipy.ndimage.laplace(x)`. */
export interface LaplaceRequest extends BoundaryParams {
  op: 'laplace';
}
/** The tutorial's `hypot(sobel(x, 0), sobel(x, 1)) * 255 / max`. */
export interface SobelMagnitudeRequest extends BoundaryParams {
  op: 'sobel-magnitude';
}
/** The tutorial's `hypot(prewitt(x, 0), prewitt(x, 1)) * 255 / max`. */
export interface PrewittMagnitudeRequest extends BoundaryParams {
  op: 'prewitt-magnitude';
}
/** `scipy.ndimage.fourier_gaussian(x, sigma)` on the real image, as the tutorial calls it. */
export interface FourierGaussianRequest {
  op: 'fourier-gaussian';
  /** Default 0.05, the tutorial's (SciPy has none). */
  sigma?: Sigma;
}
/** The tutorial's "Canny": prewitt-magnitude of fourier-gaussian; `mode`/`cval` are the Prewitt's. */
export interface TutorialCannyRequest extends BoundaryParams {
  op: 'tutorial-canny';
  /** The fourier_gaussian sigma. Default 0.05, the tutorial's. */
  sigma?: Sigma;
}
/** `numpy.where(x > threshold, x, 0)`. */
export interface MaskRequest {
  op: 'mask';
  /** Default 150, the tutorial's. */
  threshold?: number;
}
/** `numpy.where(x > threshold, 1, 0)`. */
export interface MaskBinaryRequest {
  op: 'mask-binary';
  /** Default 150, the tutorial's. */
  threshold?: number;
}
/** `skimage.feature.canny(x, sigma, low_threshold, high_threshold, use_quantiles=, mode=, cval=)`: 0/1 edges. */
export interface CannyRequest extends CannyParams {
  op: 'canny';
}

/**
 * One op and its parameters, as the engines take it: a union discriminated by `op`, so each op
 * accepts only its own parameters (`{ op: 'sobel', sigma: 2 }` does not compile). Every parameter
 * is optional; `validateOp` fills in the defaults (see `OP_SPECS`).
 */
export type OpRequest =
  | GaussianRequest
  | GaussianLaplaceRequest
  | GaussianGradientMagnitudeRequest
  | SobelRequest
  | PrewittRequest
  | LaplaceRequest
  | SobelMagnitudeRequest
  | PrewittMagnitudeRequest
  | FourierGaussianRequest
  | TutorialCannyRequest
  | MaskRequest
  | MaskBinaryRequest
  | CannyRequest;

/** The request type of one op, e.g. `OpRequestOf<'canny'>` is `CannyRequest`. */
export type OpRequestOf<K extends OpName> = Extract<OpRequest, { op: K }>;

// Compile-time check that OP_NAMES and the union list the same ops.
type MissingFromUnion = Exclude<OpName, OpRequest['op']>;
type MissingFromNames = Exclude<OpRequest['op'], OpName>;
const UNION_MATCHES_NAMES: [MissingFromUnion, MissingFromNames] extends [never, never] ? true : never = true;
void UNION_MATCHES_NAMES;

/**
 * Every parameter of every op, all optional: the shape generic code (CLI options, `--ops` lists)
 * builds before `opRequest` checks it against one op.
 */
export interface OpParams {
  sigma?: Sigma;
  order?: number | readonly [number, number];
  axis?: number;
  mode?: BoundaryMode;
  cval?: number;
  truncate?: number;
  radius?: number;
  threshold?: number;
  lowThreshold?: number;
  highThreshold?: number;
  useQuantiles?: boolean;
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
}

/** The parameters `op` takes (the names of `OP_SPECS[op].params`); anything else given is an error, not silently ignored. */
export function paramsUsedBy(op: OpName): readonly (keyof OpParams)[] {
  return OP_SPECS[op].params.map((param) => param.name);
}

/** `op` if it names an op, else a RangeError listing them. */
export function validateOpName(op: unknown): OpName {
  if (typeof op === 'string' && (OP_NAMES as readonly string[]).includes(op)) return op as OpName;
  throw new RangeError(`op must be one of ${OP_NAMES.join(', ')}; got ${JSON.stringify(op)}`);
}

/**
 * Checks `request` and fills in its defaults (`OP_SPECS`). Also for plain JavaScript callers: a
 * request that is not an object, a parameter the op does not take or a value of the wrong type or
 * out of range is a RangeError naming it.
 */
export function validateOp(request: OpRequest): ResolvedOp {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new RangeError(`an op request must be an object such as { op: 'gaussian', sigma: 2 }, got ${describe(request)}`);
  }
  const op = validateOpName(request.op);
  const params = request as OpParams;
  const used = paramsUsedBy(op);
  for (const key of Object.keys(request) as (keyof OpParams | 'op')[]) {
    if (key === 'op' || params[key] === undefined) continue;
    if (!used.includes(key)) {
      throw new RangeError(`op ${op} does not take ${key}; it takes ${used.length ? used.join(', ') : 'no parameters'}`);
    }
  }
  const sigma = pair(valueOr(params.sigma, DEFAULT_SIGMA[op]), 'sigma');
  const sigmaFloor = op === 'fourier-gaussian' || op === 'tutorial-canny' || op === 'gaussian' ? 0 : Number.MIN_VALUE;
  // Ops without a sigma (sobel, masks, ...) carry the default 0, which only sigma-taking ops check.
  for (const s of used.includes('sigma') ? sigma : []) {
    if (!Number.isFinite(s) || s < sigmaFloor) {
      throw new RangeError(`sigma must be a finite number ${sigmaFloor === 0 ? '>= 0' : '> 0'}, got ${describe(s)}`);
    }
  }
  const order = pair(valueOr(params.order, 0), 'order').map((o) => {
    if (!Number.isInteger(o) || o < 0 || o > 3) throw new RangeError(`order must be 0, 1, 2 or 3, got ${describe(o)}`);
    return o as 0 | 1 | 2 | 3;
  }) as [0 | 1 | 2 | 3, 0 | 1 | 2 | 3];
  const truncate = valueOr(params.truncate, DEFAULT_TRUNCATE);
  if (!Number.isFinite(truncate) || truncate < 0) throw new RangeError(`truncate must be a finite number >= 0, got ${describe(truncate)}`);
  if (params.radius !== undefined && (!Number.isInteger(params.radius) || params.radius < 0)) {
    throw new RangeError(`radius must be a non-negative integer, got ${describe(params.radius)}`);
  }
  checkParameterLimits(op, sigma, truncate, params.radius);
  const cval = valueOr(params.cval, 0);
  if (!Number.isFinite(cval)) throw new RangeError(`cval must be a finite number, got ${describe(cval)}`);
  const threshold = valueOr(params.threshold, DEFAULT_THRESHOLD);
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be a finite number, got ${describe(threshold)}`);
  return {
    op,
    sigma,
    order,
    axis: resolveAxis(valueOr(params.axis, DEFAULT_AXIS)),
    mode: validateMode(valueOr<unknown>(params.mode, OP_SPECS[op].params.find((p) => p.name === 'mode')?.default ?? 'reflect')),
    cval,
    truncate,
    radius: params.radius,
    threshold,
    canny:
      op === 'canny'
        ? validateCannyParams({
            sigma,
            lowThreshold: params.lowThreshold,
            highThreshold: params.highThreshold,
            useQuantiles: params.useQuantiles,
            mode: params.mode,
            cval: params.cval,
          })
        : undefined,
  };
}

/**
 * A typed request for `op` from generic parameters (CLI options, parsed `--ops` items): the
 * parameters left undefined are dropped, and the rest are checked by `validateOp`, so one the op
 * does not take is a RangeError.
 */
export function opRequest(op: OpName, params: OpParams = {}): OpRequest {
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const request = { ...defined, op: validateOpName(op) } as OpRequest;
  validateOp(request);
  return request;
}

/** SciPy's axis for a 2-D image (-2 is 0, -1 is 1) as the engines' 0 (rows) or 1 (columns). */
export function resolveAxis(axis: unknown): Axis {
  if (axis === -1 || axis === -2) return (axis + 2) as Axis;
  if (axis === 0 || axis === 1) return validateAxis(axis);
  throw new RangeError(`axis must be 0 or -2 (rows), 1 or -1 (columns), got ${describe(axis)}`);
}

/** Only an absent parameter takes the default: null from plain JavaScript or JSON is a wrong value, reported as such. */
function valueOr<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function pair(value: unknown, name: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (!Array.isArray(value) || value.length !== 2) {
    throw new RangeError(`${name} must be a number or a pair [rows, columns], got ${describe(value)}`);
  }
  const [a, b]: unknown[] = value;
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new RangeError(`${name} must be a number or a pair [rows, columns] of numbers, got ${describe(value)}`);
  }
  return [a, b];
}

/** A value as an error message shows it: JSON where it has one, so "2" (a string) reads differently from 2. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
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
