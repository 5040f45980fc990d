/**
 * Computes every tutorial result of one image on an engine: all filter stages in one `Engine.run`
 * (one submit on the GPU), then the statistics and the histogram over the image's own min..max,
 * as the tutorial's `ndimage.histogram(x, np.min(x), np.max(x), 256)` does.
 */
import type { Engine, ImageStats } from '../engine.js';
import type { Image2D } from '../image.js';
import { imageStats } from '../cpu/statistics.js';
import { type TutorialParams, type TutorialStage, tutorialStages } from './tutorial.js';

export interface StageOutput {
  stage: TutorialStage;
  output: Image2D<Float32Array | Float64Array>;
  /** min, max, mean and median of the output, for the report. */
  stats: ImageStats;
}

export interface TutorialResult {
  /** The input's name (file name, or the synthetic frame's). */
  name: string;
  image: Image2D;
  outputs: StageOutput[];
  stats: ImageStats;
  histogram: { counts: Uint32Array; min: number; max: number };
  /** Milliseconds per step: the filters (one engine call), then the statistics of the input and the outputs. */
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
  if (Number.isNaN(min)) {
    throw new RangeError(`${name} holds NaN values: its min, max, mean, median and histogram are undefined (NaN in NumPy)`);
  }
  const counts = await engine.histogram(image, { min, max, bins: params.histogramBins });
  const outputs = stages.map((stage, i) => ({ stage, output: results[i], stats: outputStats(results[i].data) }));
  const t2 = performance.now();
  return {
    name,
    image,
    outputs,
    stats,
    histogram: { counts, min, max },
    timings: { filtersMs: t1 - t0, statsMs: t2 - t1 },
  };
}

/** NumPy's min, max, mean and median of a filter output (see imageStats). */
export function outputStats(data: Float32Array | Float64Array): ImageStats {
  if (data.length === 0) throw new RangeError('stats of an empty output are undefined');
  return imageStats(data);
}
