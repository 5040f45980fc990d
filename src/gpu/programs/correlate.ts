/**
 * Program `correlate` (shaders/correlate.wgsl): one pass of scipy.ndimage.correlate1d along an
 * axis, with a fused epilogue (store, add to another plane, or hypot with another plane) and an
 * optional max reduction of the output. Tiles with their halo go through workgroup memory up to
 * the radius the tile allows; larger radii take the global-memory kernel.
 */
import { BOUNDARY_MODES, type BoundaryMode } from '../../filters/boundary.js';
import type { Axis } from '../../filters/edges.js';
import type { Recording } from '../recording.js';

/** What a pass does with its correlation result r (see shaders/correlate.wgsl). */
export type Epilogue = 'store' | 'add' | 'hypot';
const EPILOGUE_CODE: Record<Epilogue, number> = { store: 0, add: 1, hypot: 2 };

/** Largest radii the tiled kernels stage in workgroup memory (ROW_HALO_MAX, COL_HALO_MAX in the shader). */
export const ROW_HALO_MAX = 256;
export const COL_HALO_MAX = 64;

export interface CorrelatePass {
  width: number;
  height: number;
  src: GPUBuffer;
  axis: Axis;
  /** The weights buffer of the recording and where this pass's 2*radius+1 weights start in it. */
  weights: GPUBuffer;
  weightOffset: number;
  radius: number;
  mode: BoundaryMode;
  cval: number;
  epilogue: Epilogue;
  /** The other plane of an `add` or `hypot` epilogue. */
  acc?: GPUBuffer;
  /** A 4-byte buffer receiving atomicMax of the outputs' float bits (non-negative outputs only). */
  max?: GPUBuffer;
  /** Always the global-memory kernel (tests use it to cover both paths). */
  forceGlobal?: boolean;
}

/** Records the pass into `dst` (a plane of width*height floats). */
export function recordCorrelate(rec: Recording, pass: CorrelatePass, dst: GPUBuffer, scratch: GPUBuffer, what: string): void {
  const { width, height, radius, axis } = pass;
  if ((pass.epilogue === 'store') !== (pass.acc === undefined)) {
    throw new Error(`correlate epilogue ${pass.epilogue} ${pass.acc ? 'takes no' : 'needs an'} accumulator plane`);
  }
  const params = new ArrayBuffer(48);
  const u32 = new Uint32Array(params);
  const f32 = new Float32Array(params);
  u32[0] = width;
  u32[1] = height;
  u32[2] = radius;
  u32[3] = BOUNDARY_MODES.indexOf(pass.mode);
  f32[4] = pass.cval;
  u32[5] = pass.weightOffset;
  u32[6] = EPILOGUE_CODE[pass.epilogue];
  u32[7] = pass.max ? 1 : 0;
  u32[8] = axis;
  const uniform = rec.uniform(params, `${what} params`);
  // Unused bindings still need a buffer: the source doubles as the accumulator, a scratch word as the max.
  const bindings = [uniform, pass.src, pass.weights, pass.acc ?? pass.src, dst, pass.max ?? scratch];
  if (!pass.forceGlobal && axis === 1 && radius <= ROW_HALO_MAX) {
    rec.dispatch('correlate', 'correlate_rows', bindings, [Math.ceil(width / 256), height], what);
  } else if (!pass.forceGlobal && axis === 0 && radius <= COL_HALO_MAX) {
    rec.dispatch('correlate', 'correlate_cols', bindings, [Math.ceil(width / 16), Math.ceil(height / 64)], what);
  } else {
    // 16x16 invocations of OUTPUTS_PER_INVOCATION (4) outputs each along the pass axis.
    const grid: [number, number] = axis === 1 ? [Math.ceil(width / 64), Math.ceil(height / 16)] : [Math.ceil(width / 16), Math.ceil(height / 64)];
    rec.dispatch('correlate', 'correlate_global', bindings, grid, what);
  }
}
