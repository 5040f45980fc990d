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

/**
 * NumPy's min, max, mean and median of a filter output (all NaN if any value is NaN, as NumPy).
 * The median comes from selection in linear time: sorting six 1024x1024 outputs per image cost
 * more than the filters themselves.
 */
export function outputStats(data: Float32Array | Float64Array): ImageStats {
  const n = data.length;
  if (n === 0) throw new RangeError('stats of an empty output are undefined');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (Number.isNaN(v)) return { min: NaN, max: NaN, mean: NaN, median: NaN };
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const values = Float64Array.from(data);
  const upper = n >> 1;
  const lower = (n - 1) >> 1;
  const high = selectInPlace(values, upper);
  // After selecting rank `upper`, every value before it is <= it: rank `lower` is their maximum.
  let low = high;
  if (lower !== upper) {
    low = -Infinity;
    for (let i = 0; i < upper; i++) if (values[i] > low) low = values[i];
  }
  return { min, max, mean: sum / n, median: (low + high) / 2 };
}

/**
 * Moves the value of rank k (0-based, ascending) to index k, smaller-or-equal values before it and
 * greater-or-equal after it (Hoare's selection with a median-of-three pivot; equal values split evenly
 * between both sides, so images with many equal pixels, like masks, stay linear). Returns that value.
 */
function selectInPlace(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >> 1;
    const pivot = medianOfThree(values[left], values[middle], values[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break; // j < k < i: values[k] equals the pivot
  }
  return values[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
