/**
 * Computes every tutorial result of one image on an engine: all filter stages in one `Engine.run`
 * (one submit on the GPU), then the statistics and the histogram over the image's own min..max,
 * as the tutorial's `ndimage.histogram(x, np.min(x), np.max(x), 256)` does.
 */
import type { Engine, ImageStats } from '../engine.js';
import type { Image2D } from '../image.js';
import { imageStats } from '../cpu/statistics.js';
import { GpuEngine, INPUT_IMAGE } from '../gpu/engine.js';
import { isColormapName } from '../render/colormap.js';
import type { RgbaImage } from '../render/rgba-image.js';
import { type TutorialParams, type TutorialStage, type TutorialStageKey, runStages } from './tutorial.js';

/** One tutorial output of `computeTutorial`. */
export interface StageOutput {
  stage: TutorialStage;
  output: Image2D<Float32Array | Float64Array>;
  /** min, max, mean and median of the output, for the report. */
  stats: ImageStats;
  /** The output already coloured by the engine, per colormap (the GPU engine colours in its submit). */
  colored?: ReadonlyMap<string, RgbaImage>;
}

/** Everything `computeTutorial` computed for one image. */
export interface TutorialResult {
  /** The input's name (file name, or the synthetic frame's). */
  name: string;
  image: Image2D;
  outputs: StageOutput[];
  /** The input in gray as the engine coloured it, when it did. */
  originalRgba?: RgbaImage;
  stats: ImageStats;
  histogram: { counts: Uint32Array; min: number; max: number };
  /** Milliseconds per step: the filters (one engine call), then the statistics of the input and the outputs. */
  timings: { filtersMs: number; statsMs: number };
}

/** Runs the tutorial's filters, statistics and histogram on one image with `engine`. */
export async function computeTutorial(
  engine: Engine,
  image: Image2D,
  name: string,
  params: TutorialParams,
  /** The stages to compute, by key (default: every stage `run` shows). */
  keys?: readonly TutorialStageKey[],
): Promise<TutorialResult> {
  const stages = runStages(params).filter((stage) => keys === undefined || keys.includes(stage.key));
  const t0 = performance.now();
  const computed = await computeStages(engine, image, stages);
  const t1 = performance.now();
  const stats = await engine.stats(image);
  const { min, max } = stats;
  if (Number.isNaN(min)) {
    throw new RangeError(`${name} holds NaN values: its min, max, mean, median and histogram are undefined (NaN in NumPy)`);
  }
  const counts = await engine.histogram(image, { min, max, bins: params.histogramBins });
  const outputs = stages.map((stage, i) => ({ ...computed.outputs[i], stage, stats: imageStats(computed.outputs[i].output.data) }));
  const t2 = performance.now();
  return {
    name,
    image,
    outputs,
    originalRgba: computed.originalRgba,
    stats,
    histogram: { counts, min, max },
    timings: { filtersMs: t1 - t0, statsMs: t2 - t1 },
  };
}

/**
 * The stages' outputs. On the GPU engine the colormaps are applied in the same submit
 * (`runRendered`), so the host only encodes; the CPU engine's outputs are coloured later on the host.
 */
async function computeStages(
  engine: Engine,
  image: Image2D,
  stages: readonly TutorialStage[],
): Promise<{ outputs: { output: Image2D<Float32Array | Float64Array>; colored?: ReadonlyMap<string, RgbaImage> }[]; originalRgba?: RgbaImage }> {
  if (!(engine instanceof GpuEngine)) {
    const results = await engine.run(image, stages.map((stage) => stage.request));
    return { outputs: results.map((output) => ({ output })) };
  }
  const [original, ...rendered] = await engine.runRendered(image, [
    { source: INPUT_IMAGE, colormaps: ['gray'] },
    // The GPU colours with the built-in tables; other matplotlib colormaps are applied on the host.
    ...stages.map((stage) => ({ source: stage.request, colormaps: stage.colormaps.filter(isColormapName), keepFloat: true })),
  ]);
  return {
    originalRgba: original.rgba.get('gray'),
    outputs: rendered.map((r) => ({ output: r.float!, colored: r.rgba })),
  };
}
