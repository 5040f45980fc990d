/**
 * Boundary modes of scipy.ndimage (ndimage/src/ni_support.c, NI_ExtendLine), shared by both engines.
 * The GPU mirrors `boundaryIndex` in shaders/common.wgsl.
 *
 *   reflect  (d c b a | a b c d | d c b a)   the default, "half-sample symmetric"
 *   mirror   (d c b | a b c d | c b a)       "whole-sample symmetric"
 *   nearest  (a a a | a b c d | d d d)
 *   constant (k k k | a b c d | k k k)       k = cval
 *   wrap     (a b c d | a b c d | a b c d)
 */

/** SciPy's boundary modes, `mode=` of every filter. */
export const BOUNDARY_MODES = ['reflect', 'mirror', 'nearest', 'constant', 'wrap'] as const;
/** One of `BOUNDARY_MODES`. */
export type BoundaryMode = (typeof BOUNDARY_MODES)[number];

export interface BoundaryOptions {
  mode?: BoundaryMode;
  /** Value outside the image in `constant` mode. Default 0. */
  cval?: number;
}

export function validateMode(mode: unknown): BoundaryMode {
  if (typeof mode === 'string' && (BOUNDARY_MODES as readonly string[]).includes(mode)) return mode as BoundaryMode;
  throw new RangeError(`mode must be one of ${BOUNDARY_MODES.join(', ')}; got ${JSON.stringify(mode)}`);
}

/**
 * Maps a possibly out-of-range index `i` onto [0, n) for the given mode, repeating the
 * reflection as often as needed so that kernels wider than the image behave like SciPy.
 * Returns -1 for `constant` mode outside the image (the caller substitutes cval).
 */
export function boundaryIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap': {
      const r = i % n;
      return r < 0 ? r + n : r;
    }
    case 'reflect': {
      // Period 2n: a b c d d c b a
      const period = 2 * n;
      let r = i % period;
      if (r < 0) r += period;
      return r < n ? r : period - 1 - r;
    }
    case 'mirror': {
      if (n === 1) return 0;
      // Period 2n-2: a b c d c b
      const period = 2 * n - 2;
      let r = i % period;
      if (r < 0) r += period;
      return r < n ? r : period - r;
    }
  }
}
