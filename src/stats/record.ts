/**
 * The statistics record `xray-gpu/stats@1` (docs/stats.md): one image's size, dtype, NumPy's
 * min, max, mean, median, std (ddof 0), percentiles (linear) and the tutorial's histogram. The one
 * producer of `stats --json`, `run`'s stats.json and batch's statistics, so they never disagree.
 */
import type { Engine, HistogramOptions, ImageStats } from '../engine.js';
import { type DType, type Image2D, dtypeOf } from '../image.js';
import { histogram as hostHistogram, imageStats, pairwiseSum, resolveHistogramOptions } from '../cpu/statistics.js';
import { percentileByRank } from '../filters/percentile.js';
import type { DicomStatsAttributes } from './dicom-attributes.js';

/** The schema name and version every record carries; a change of meaning bumps the version. */
export const STATS_SCHEMA = 'xray-gpu/stats@1';

/** The percentiles every record holds, as `numpy.percentile(x, [1, 5, 25, 75, 95, 99])`. */
export const STATS_PERCENTILES = [1, 5, 25, 75, 95, 99] as const;

/** `numpy.percentile(x, p)` (linear) for each p of `STATS_PERCENTILES`, keyed `p1` ... `p99`. */
export interface StatsPercentiles {
  p1: number;
  p5: number;
  p25: number;
  p75: number;
  p95: number;
  p99: number;
}

/** `ndimage.histogram(x, min, max, bins)`: counts of `bins` equal bins over [min, max]. */
export interface StatsHistogram {
  min: number;
  max: number;
  bins: number;
  counts: number[];
}

/** One image's statistics, schema `xray-gpu/stats@1` (see docs/stats.md for each field). */
export interface StatsRecord {
  schema: typeof STATS_SCHEMA;
  /** The input as the caller named it; null for an image that came from no file. */
  file: string | null;
  width: number;
  height: number;
  dtype: DType;
  min: number;
  max: number;
  /** numpy.mean in float64. */
  mean: number;
  /** numpy.median. */
  median: number;
  /** numpy.std with ddof 0, in float64. */
  std: number;
  percentiles: StatsPercentiles;
  histogram: StatsHistogram;
  /** `stats` on a DICOM file: its header attributes (docs/stats.md); absent otherwise. */
  dicom?: DicomStatsAttributes;
}

/** What `statsRecord` needs; the stats and histogram an engine already computed are reused. */
export interface StatsRecordInput {
  image: Image2D;
  /** The file name to record; null (the default) for none. */
  file?: string | null;
  /** min, max, mean, median when already computed (e.g. by an engine); else computed here. */
  stats?: ImageStats;
  /** The histogram when already computed; else the tutorial's (the image's min and max, 256 bins). */
  histogram?: { min: number; max: number; counts: ArrayLike<number> };
}

/** The record of one image: std and percentiles are computed on the host, the rest reused when given. */
export function statsRecord(input: StatsRecordInput): StatsRecord {
  const { image } = input;
  const stats = input.stats ?? imageStats(image.data);
  const histogram = input.histogram ?? tutorialHistogram(image, stats);
  const spread = spreadOf(image.data, stats.mean);
  return {
    schema: STATS_SCHEMA,
    file: input.file ?? null,
    width: image.width,
    height: image.height,
    dtype: dtypeOf(image.data),
    min: stats.min,
    max: stats.max,
    mean: stats.mean,
    median: stats.median,
    std: spread.std,
    percentiles: spread.percentiles,
    histogram: { min: histogram.min, max: histogram.max, bins: histogram.counts.length, counts: Array.from(histogram.counts) },
  };
}

/** Options of `computeStatsRecord`. */
export interface ComputeStatsOptions {
  /** The file name to record. */
  file?: string | null;
  /** Histogram range and bins; by default the tutorial's (the image's min and max, 256 bins). */
  histogram?: Partial<HistogramOptions>;
}

/** The record of one image, with min, max, mean, median and the histogram computed by `engine`. */
export async function computeStatsRecord(engine: Engine, image: Image2D, options: ComputeStatsOptions = {}): Promise<StatsRecord> {
  const stats = await engine.stats(image);
  const histogramOptions = await resolveHistogramOptions(options.histogram, async () => stats);
  const counts = await engine.histogram(image, histogramOptions);
  return statsRecord({ image, file: options.file, stats, histogram: { ...histogramOptions, counts } });
}

/** Significant digits a record's numbers keep in JSON (docs/stats.md: "Numbers"). */
export const STATS_SIGNIFICANT_DIGITS = 12;

/**
 * A number as records print it: rounded to 12 significant digits, then the shortest form that reads
 * back to that value (172.52233219146729 becomes 172.522332191; integers stay exact up to 10^12).
 * NaN and infinities, which JSON lacks, become null.
 */
export function roundStat(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Number(value.toPrecision(STATS_SIGNIFICANT_DIGITS));
}

/** A JSON.stringify replacer that passes every number through `roundStat`, for documents holding records. */
export function statsJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? roundStat(value) : value;
}

/** A record (or several) as JSON, every number through `roundStat`; `space` as in JSON.stringify. */
export function statsRecordJson(record: StatsRecord | readonly StatsRecord[], space?: number): string {
  return JSON.stringify(record, statsJsonReplacer, space);
}

function tutorialHistogram(image: Image2D, stats: ImageStats): StatsHistogram {
  const options = { min: stats.min, max: stats.max, bins: 256 };
  // An image with NaN has no range: its histogram is empty rather than an error.
  if (!Number.isFinite(options.min) || !Number.isFinite(options.max)) return { ...options, counts: [] };
  return { ...options, counts: Array.from(hostHistogram(image.data, options)) };
}

/** numpy.std (ddof 0) and the percentiles; NaN throughout when a pixel is NaN, as NumPy. */
function spreadOf(data: Image2D['data'], mean: number): { std: number; percentiles: StatsPercentiles } {
  const n = data.length;
  let valueAtRank: (rank: number) => number;
  // NumPy: x - mean in float64, squared, pairwise-summed, divided by n.
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    squares[i] = d * d;
  }
  const std = Math.sqrt(pairwiseSum(squares) / n);
  if (data instanceof Uint8Array || data instanceof Uint16Array) {
    valueAtRank = levelRanks(data);
  } else if (Number.isNaN(mean)) {
    valueAtRank = () => NaN;
  } else {
    const sorted = Float64Array.from(data).sort();
    valueAtRank = (rank) => sorted[rank];
  }
  const at = (p: number) => percentileByRank(n, valueAtRank, p);
  return { std, percentiles: { p1: at(1), p5: at(5), p25: at(25), p75: at(75), p95: at(95), p99: at(99) } };
}

/** Rank lookup for 8/16-bit pixels from one counting pass (no sort). */
function levelRanks(data: Uint8Array | Uint16Array): (rank: number) => number {
  const levels = data instanceof Uint8Array ? 256 : 65536;
  const cumulative = new Float64Array(levels);
  for (let i = 0; i < data.length; i++) cumulative[data[i]]++;
  for (let v = 1; v < levels; v++) cumulative[v] += cumulative[v - 1];
  return (rank) => {
    // The first level whose cumulative count exceeds the rank (binary search).
    let low = 0;
    let high = levels - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] > rank) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}
