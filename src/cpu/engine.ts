/**
 * The float64 reference engine: every op computed as scipy.ndimage 1.10 computes it on a float64
 * array (see ../../DESIGN.md, "Semantics"). Single-threaded, synchronous work behind the async
 * Engine interface.
 */
import type { Engine, HistogramOptions, ImageStats } from '../engine.js';
import type { EdgeOperator } from '../filters/edges.js';
import { type OpRequest, type ResolvedOp, resultSize, validateRequest } from '../filters/ops.js';
import { type Image2D, dtypeOf, stackImages } from '../image.js';
import { cannyCpu } from './canny.js';
import { edgeFilter, laplace } from './edges.js';
import { fourierGaussian } from './fourier.js';
import { gaussianFilter, gaussianGradientMagnitude, gaussianLaplace } from './gaussian.js';
import { hypot, mask, maskBinary, normaliseTo255 } from './pointwise.js';
import { histogram, imageStats, resolveHistogramOptions } from './statistics.js';
import { Workspace } from './workspace.js';
import { clahe } from './clahe.js';
import { resizeArea, resizeSkimage } from './resize.js';
import { cpuEngineDescription } from './description.js';

export { cpuEngineDescription };

/** The float64 reference engine (scipy.ndimage semantics). */
export function createCpuEngine(): Engine {
  return new CpuEngine();
}

class CpuEngine implements Engine {
  readonly name = 'cpu' as const;
  readonly description = cpuEngineDescription();
  private disposed = false;
  /** Intermediate buffers, reused across ops and calls (results are always fresh arrays). */
  private readonly workspace = new Workspace();

  async run(image: Image2D, requests: readonly OpRequest[]): Promise<Image2D<Float64Array>[]> {
    this.assertUsable();
    // Validate everything before computing anything, so a bad request costs no work.
    const ops = requests.map(validateRequest);
    if (ops.some((op) => op.op === 'clahe') && !(image.data instanceof Uint8Array)) {
      throw new RangeError(`op clahe takes an 8-bit image; this one is ${dtypeOf(image.data)} (cast it to uint8 levels first)`);
    }
    // Ops never write to their input, so a float64 image is used as it is; others are widened once.
    const { width, height } = image;
    const widened = image.data instanceof Float64Array ? null : this.workspace.acquire(image.data.length);
    widened?.set(image.data);
    const input = { width, height, data: widened ?? (image.data as Float64Array) };
    try {
      return ops.map((op) => {
        const [outWidth, outHeight] = resultSize(op, width, height);
        return { width: outWidth, height: outHeight, data: runOnImage(op, image, input, this.workspace) };
      });
    } finally {
      if (widened) this.workspace.release(widened);
    }
  }

  async runBatch(images: readonly Image2D[], requests: readonly OpRequest[]): Promise<Image2D<Float64Array>[][]> {
    this.assertUsable();
    stackImages(images); // same-size check, with the frames named in the error
    const results: Image2D<Float64Array>[][] = [];
    for (const image of images) results.push(await this.run(image, requests));
    return results;
  }

  async histogram(image: Image2D, options?: Partial<HistogramOptions>): Promise<Uint32Array> {
    this.assertUsable();
    return histogram(image.data, await resolveHistogramOptions(options, () => this.stats(image)));
  }

  async stats(image: Image2D): Promise<ImageStats> {
    this.assertUsable();
    return imageStats(image.data);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.workspace.clear();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('the cpu engine was disposed; create a new one with createCpuEngine()');
  }
}

/** One op of `run`: those that need the source dtype or change the size, then the rest via runOp. */
function runOnImage(op: ResolvedOp, image: Image2D, input: Image2D<Float64Array>, workspace: Workspace): Float64Array {
  switch (op.op) {
    case 'canny':
      // Canny scales by the source dtype (img_as_float) and returns 0/1: it needs the dtype, not only the float64 copy.
      return Float64Array.from(cannyCpu(input, op.canny, dtypeOf(image.data)).data);
    case 'resize': {
      const { height, width, method } = op.resize!;
      return (method === 'skimage' ? resizeSkimage(input, height, width) : resizeArea(input, height, width)).data;
    }
    case 'clahe':
      return Float64Array.from(clahe(image as Image2D<Uint8Array>, op.clahe!).data);
    default:
      return runOp(op, input, workspace);
  }
}

/**
 * Computes one validated op on a float64 image into a new array; the input is never modified.
 * Intermediates come from `workspace` and go back to it.
 */
export function runOp(op: ResolvedOp, image: Image2D<Float64Array>, workspace: Workspace = new Workspace()): Float64Array {
  const { width, height, data } = image;
  const { mode, cval } = op;
  const gaussianOptions = { mode, cval, truncate: op.truncate, radius: op.radius };
  const output = new Float64Array(data.length);
  switch (op.op) {
    case 'gaussian':
      return gaussianFilter(data, width, height, op.sigma, op.order, gaussianOptions, output, workspace);
    case 'gaussian-laplace':
      return gaussianLaplace(data, width, height, op.sigma, gaussianOptions, output, workspace);
    case 'gaussian-gradient-magnitude':
      return gaussianGradientMagnitude(data, width, height, op.sigma, gaussianOptions, output, workspace);
    case 'sobel':
    case 'prewitt':
      return edgeFilter(op.op, data, width, height, op.axis, mode, cval, output, workspace);
    case 'laplace':
      return laplace(data, width, height, mode, cval, output, workspace);
    case 'sobel-magnitude':
      return edgeMagnitude('sobel', image, op, output, workspace);
    case 'prewitt-magnitude':
      return edgeMagnitude('prewitt', image, op, output, workspace);
    case 'fourier-gaussian':
      return fourierGaussian(data, width, height, op.sigma, output);
    case 'tutorial-canny': {
      // The tutorial's "Canny": prewitt magnitude of the (spectrum-domain) Gaussian of the image.
      const smoothed = fourierGaussian(data, width, height, op.sigma, workspace.acquire(data.length));
      edgeMagnitude('prewitt', { width, height, data: smoothed }, op, output, workspace);
      workspace.release(smoothed);
      return output;
    }
    case 'mask':
      return mask(data, op.threshold, output);
    case 'mask-binary':
      return maskBinary(data, op.threshold, output);
    case 'canny':
      // The source dtype decides canny's scaling and thresholds; CpuEngine.run passes it to cannyCpu.
      throw new Error('runOp cannot compute canny from a float64 copy alone; call cannyCpu with the source dtype');
    case 'resize':
    case 'clahe':
      // Their results have another size (resize) or need the 8-bit source (clahe): CpuEngine.run calls them.
      throw new Error(`runOp does not compute ${op.op}; call it through the engine or src/cpu/${op.op}.ts`);
  }
}

/** `hypot(op(x, axis=0), op(x, axis=1)) * (255 / max)`, the tutorial's edge-magnitude picture, into `output`. */
function edgeMagnitude(
  operator: EdgeOperator,
  image: Image2D<Float64Array>,
  op: ResolvedOp,
  output: Float64Array,
  workspace: Workspace,
): Float64Array {
  const { width, height, data } = image;
  const along0 = edgeFilter(operator, data, width, height, 0, op.mode, op.cval, workspace.acquire(data.length), workspace);
  const along1 = edgeFilter(operator, data, width, height, 1, op.mode, op.cval, workspace.acquire(data.length), workspace);
  normaliseTo255(hypot(along0, along1, output));
  workspace.release(along0);
  workspace.release(along1);
  return output;
}
