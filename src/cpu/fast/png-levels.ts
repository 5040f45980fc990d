/**
 * 8-bit levels for PNG outputs, the batch's CPU path: what `createCpuEngine().run` followed by min-max
 * scaling to 8 bits gives, computed faster where a faster route exists (see ./edge-levels.ts) and by
 * the float64 reference ops elsewhere (into pooled buffers: a fresh 8 MiB array per op costs page
 * faults and garbage collection). Levels may differ from the reference's by one on pixels within
 * float64 rounding of a half level; raw values (npy outputs) must come from the reference engine.
 */
import { cannyCpu } from '../canny.js';
import { runOp } from '../engine.js';
import { gaussianGradientMagnitude, gaussianLaplace } from '../gaussian.js';
import { type OpRequest, validateRequest } from '../../filters/ops.js';
import { type Image2D, dtypeOf } from '../../image.js';
import { Workspace } from '../workspace.js';
import { edgeMagnitudeLevels } from './edge-levels.js';
import { levelsOfFilled, scaleToLevels } from './levels.js';
import { maskLevels } from './mask-levels.js';

/**
 * Each request's result on an integer image, min-max scaled to 8-bit levels. Throws a RangeError
 * naming the request when one is invalid, before computing anything.
 */
export function computePngLevels(
  image: Image2D<Uint8Array | Uint16Array>,
  requests: readonly OpRequest[],
  workspace: Workspace = new Workspace(),
): Uint8Array[] {
  const ops = requests.map(validateRequest);
  const { width, height } = image;
  const input = workspace.acquire(image.data.length);
  input.set(image.data);
  try {
    return ops.map((op) => {
      if (op.op === 'sobel-magnitude' || op.op === 'prewitt-magnitude' || op.op === 'tutorial-canny') {
        const levels = edgeMagnitudeLevels({ op: op.op, mode: op.mode, sigma: op.sigma }, input, width, height, workspace);
        if (levels) return levels;
      }
      if (op.op === 'gaussian-laplace' || op.op === 'gaussian-gradient-magnitude') {
        // The reference filters, into the levels kernel's memory where it exists (scaled there, never
        // copied), else into a pooled buffer: a fresh 8 MiB array per op costs page faults.
        const filter = op.op === 'gaussian-laplace' ? gaussianLaplace : gaussianGradientMagnitude;
        const options = { mode: op.mode, cval: op.cval, truncate: op.truncate, radius: op.radius };
        const fill = (values: Float64Array) => filter(input, width, height, op.sigma, options, values, workspace);
        const inKernel = levelsOfFilled(input.length, fill);
        if (inKernel) return inKernel;
        const values = workspace.acquire(input.length);
        fill(values);
        const levels = scaleToLevels(values);
        workspace.release(values);
        return levels;
      }
      if (op.op === 'mask' || op.op === 'mask-binary') return maskLevels(image.data, op.threshold, op.op === 'mask-binary');
      if (op.op === 'canny') return scaleToLevels(cannyCpu({ width, height, data: input }, op.canny, dtypeOf(image.data)).data);
      return scaleToLevels(runOp(op, { width, height, data: input }, workspace));
    });
  } finally {
    workspace.release(input);
  }
}
