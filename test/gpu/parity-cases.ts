/**
 * The parity case table: requests run on the GPU engine and on the CPU engine (the float64
 * reference), covering every op, every boundary mode, both derivative orders per axis, sigmas from
 * 0.5 to 3.3, radii that take the global-memory kernel, and the sizes where boundaries dominate.
 */
import { BOUNDARY_MODES } from '../../src/filters/boundary.js';
import { type BoundaryParams, OP_NAMES, type OpName, type OpRequest } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';

/** [width, height]: single pixels, single rows and columns, odd sizes, and more than one workgroup tile each way. */
export const PARITY_SIZES: readonly [number, number][] = [[1, 1], [1, 7], [7, 1], [37, 53], [257, 129]];

export const PARITY_SIGMAS = [0.5, 1, 2.2, 3.3] as const;

/** cval for every constant-mode case (nonzero, so ignoring it would show). */
const CVAL = 17.5;

function withMode<T extends OpRequest & BoundaryParams>(request: T, mode: (typeof BOUNDARY_MODES)[number]): T {
  return mode === 'constant' ? { ...request, mode, cval: CVAL } : { ...request, mode };
}

/** Every request of the table (about 120), in a fixed order. */
export function parityRequests(): OpRequest[] {
  const requests: OpRequest[] = [];
  for (const mode of BOUNDARY_MODES) {
    for (const sigma of PARITY_SIGMAS) requests.push(withMode({ op: 'gaussian', sigma }, mode));
    for (const sigma of [0.5, 1.7, 3.3]) {
      requests.push(withMode({ op: 'gaussian-laplace', sigma }, mode));
      requests.push(withMode({ op: 'gaussian-gradient-magnitude', sigma }, mode));
    }
    for (const axis of [0, 1] as const) {
      requests.push(withMode({ op: 'sobel', axis }, mode));
      requests.push(withMode({ op: 'prewitt', axis }, mode));
    }
    requests.push(withMode({ op: 'laplace' }, mode));
    requests.push(withMode({ op: 'sobel-magnitude' }, mode));
    requests.push(withMode({ op: 'prewitt-magnitude' }, mode));
    requests.push(withMode({ op: 'gaussian', sigma: [0.5, 3.3], order: [1, 2] }, mode));
  }
  for (const order of [[1, 0], [0, 1], [2, 0], [0, 2], [3, 0], [0, 3], [2, 1]] as const) {
    requests.push({ op: 'gaussian', sigma: 1.5, order: [...order] });
  }
  requests.push(
    { op: 'gaussian', sigma: 0 }, // no smoothing on either axis: the input itself
    { op: 'gaussian', sigma: [0, 2] }, // axis 0 skipped
    { op: 'gaussian', sigma: 2, truncate: 2.5 },
    { op: 'gaussian', sigma: 1, radius: 70, mode: 'mirror' }, // columns beyond the tiled kernel's halo
    { op: 'gaussian', sigma: 3, radius: 300, mode: 'wrap' }, // rows beyond the tiled kernel's halo
    { op: 'gaussian-laplace', sigma: [0.7, 2.5], mode: 'nearest' },
    { op: 'gaussian-gradient-magnitude', sigma: [2.5, 0.7], mode: 'constant', cval: -3 },
    { op: 'fourier-gaussian', sigma: 0.05 },
    { op: 'fourier-gaussian', sigma: 1 },
    { op: 'fourier-gaussian', sigma: 3.3 },
    { op: 'fourier-gaussian', sigma: [0.5, 2] },
    { op: 'tutorial-canny' },
    { op: 'tutorial-canny', sigma: 2, mode: 'constant', cval: CVAL },
    { op: 'tutorial-canny', sigma: 0.5, mode: 'wrap' },
  );
  for (const threshold of [0, 100.5, 150, 254.99]) {
    requests.push({ op: 'mask', threshold }, { op: 'mask-binary', threshold });
  }
  const covered = new Set<OpName>(requests.map((r) => r.op));
  // canny is compared with the CPU engine and skimage in test/canny/gpu.test.ts.
  const missing = OP_NAMES.filter((op) => op !== 'canny' && !covered.has(op));
  if (missing.length) throw new Error(`parity table misses ops: ${missing.join(', ')}`);
  return requests;
}

/** Ops whose outputs must equal the CPU engine's exactly (given float32-exact inputs). */
export const EXACT_OPS: ReadonlySet<OpName> = new Set(['mask', 'mask-binary']);

/**
 * A deterministic 8-bit test image: smooth structure, edges and noise, with 0 and 255 present
 * (so normalisation and masks see the extremes).
 */
export function parityImage(width: number, height: number, seed = 1): Image2D<Uint8Array> {
  const data = new Uint8Array(width * height);
  let state = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const noise = (state >>> 24) / 8;
      const ring = 120 + 100 * Math.sin((x * 0.37 + y * 0.23) + Math.cos(y * 0.11));
      const block = (x >> 3) % 2 === (y >> 3) % 2 ? 30 : 0;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(ring + block + noise - 16)));
    }
  }
  if (data.length > 2) {
    data[0] = 0;
    data[data.length - 1] = 255;
  }
  return { width, height, data };
}

/** The largest error the GPU may make on one output: 1e-4 of the reference's range (at least 1e-4). */
export function parityTolerance(reference: ArrayLike<number>): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] < min) min = reference[i];
    if (reference[i] > max) max = reference[i];
  }
  return 1e-4 * Math.max(1, max - min);
}

/** A short description of a request for failure messages. */
export function describeRequest(request: OpRequest): string {
  const { op, ...params } = request;
  return `${op}${Object.keys(params).length ? JSON.stringify(params) : ''}`;
}
