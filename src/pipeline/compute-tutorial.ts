/**
 * Computes every tutorial result of one image on an engine: all filter stages in one `Engine.run`
 * (one submit on the GPU), then the statistics and the histogram over the image's own min..max,
 * as the tutorial's `ndimage.histogram(x, np.min(x), np.max(x), 256)` does.
 */
import type { Engine, ImageStats } from '../engine.js';
import type { Image2D } from '../image.js';
import { type TutorialParams, type TutorialStage, tutorialStages } from './tutorial.js';

export interface StageOutput {
  stage: TutorialStage;
  output: Image2D<Float32Array | Float64Array>;
}

export interface TutorialResult {
  /** The input's name (file name, or the synthetic frame's). */
  name: string;
  image: Image2D;
  outputs: StageOutput[];
  stats: ImageStats;
  histogram: { counts: Uint32Array; min: number; max: number };
  /** Milliseconds per step, measured around the engine calls. */
  timings: { filtersMs: number; statsMs: number };
}

export async function computeTutorial(
  engine: Engine,
  image: Image2D,
  name: string,
  params: TutorialParams,
): Promise<TutorialResult> {
  const stages = tutorialStages(params);
  const t0 = performance.now();
  const results = await engine.run(image, stages.map((stage) => stage.request));
  const t1 = performance.now();
  const stats = await engine.stats(image);
  const { min, max } = stats;
  const counts = await engine.histogram(image, { min, max, bins: params.histogramBins });
  const t2 = performance.now();
  return {
    name,
    image,
    outputs: stages.map((stage, i) => ({ stage, output: results[i] })),
    stats,
    histogram: { counts, min, max },
    timings: { filtersMs: t1 - t0, statsMs: t2 - t1 },
  };
}
