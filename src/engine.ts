/**
 * The one interface both engines implement: an image in, the requested outputs out.
 * `cpu` computes in float64 (the reference), `gpu` in float32 with WGSL compute shaders.
 */
import type { Image2D } from './image.js';
import type { OpRequest } from './filters/ops.js';

export type EngineName = 'cpu' | 'gpu';

/** Pixel statistics of one image (NumPy's min, max, mean, median; mean and median in float64). */
export interface ImageStats {
  min: number;
  max: number;
  mean: number;
  median: number;
}

/** `ndimage.histogram(x, min, max, bins)`, i.e. numpy.histogram with linspace(min, max, bins+1) edges. */
export interface HistogramOptions {
  min: number;
  max: number;
  bins: number;
}

export interface Engine {
  readonly name: EngineName;
  /** A line describing what runs the work (e.g. "cpu (float64)", "gpu: NVIDIA H100 (vulkan)"). */
  readonly description: string;
  /** Runs every request on one image; results come back in request order, float32 on gpu, float64 on cpu. */
  run(image: Image2D, requests: readonly OpRequest[]): Promise<Image2D<Float32Array | Float64Array>[]>;
  /** Runs the same requests on several same-sized images (the GPU may share one submit). */
  runBatch(images: readonly Image2D[], requests: readonly OpRequest[]): Promise<Image2D<Float32Array | Float64Array>[][]>;
  /**
   * `ndimage.histogram(x, min, max, bins)`; by default the tutorial's: the image's min and max,
   * 256 bins.
   */
  histogram(image: Image2D, options?: Partial<HistogramOptions>): Promise<Uint32Array>;
  /** NumPy's min, max, mean and median of the pixels. */
  stats(image: Image2D): Promise<ImageStats>;
  /** Frees every resource; the engine cannot be used afterwards. */
  dispose(): Promise<void>;
}
