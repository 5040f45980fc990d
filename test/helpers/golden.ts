/**
 * Loader for the SciPy golden fixtures in test/golden (written by scripts/make_golden.py), shared by
 * the CPU and GPU engine tests: list the manifest's cases, load their inputs and expected outputs,
 * and compare with the manifest's tolerance.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistogramOptions, ImageStats } from '../../src/engine.js';
import type { OpRequest } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';
import { decodeNpy, npyToImage } from '../../src/io/npy.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN_DIR = join(REPO_ROOT, 'test', 'golden');

/** An op run on an input; compare with `maxAbsDiff(actual, expected) <= allowedError(case, expected)`. */
export interface GoldenOpCase {
  name: string;
  kind: 'op';
  request: OpRequest;
  /** Paths relative to GOLDEN_DIR. */
  input: string;
  expected: string;
  /** Relative to max(1, range of expected); 0 means exactly equal. */
  tolerance: number;
}

export interface GoldenHistogramCase {
  name: string;
  kind: 'histogram';
  input: string;
  histogram: HistogramOptions;
  expectedCounts: number[];
}

export interface GoldenStatsCase {
  name: string;
  kind: 'stats';
  input: string;
  expectedStats: ImageStats;
}

export type GoldenCase = GoldenOpCase | GoldenHistogramCase | GoldenStatsCase;

interface Manifest {
  scipy: string;
  numpy: string;
  cases: GoldenCase[];
}

let manifest: Manifest | undefined;

function loadManifest(): Manifest {
  manifest ??= JSON.parse(readFileSync(join(GOLDEN_DIR, 'manifest.json'), 'utf8')) as Manifest;
  return manifest;
}

/** Every case of the manifest, in file order. */
export function listGoldenCases(): GoldenCase[] {
  return loadManifest().cases;
}

export function goldenOpCases(): GoldenOpCase[] {
  return listGoldenCases().filter((c): c is GoldenOpCase => c.kind === 'op');
}

export function goldenHistogramCases(): GoldenHistogramCase[] {
  return listGoldenCases().filter((c): c is GoldenHistogramCase => c.kind === 'histogram');
}

export function goldenStatsCases(): GoldenStatsCase[] {
  return listGoldenCases().filter((c): c is GoldenStatsCase => c.kind === 'stats');
}

const imageCache = new Map<string, Image2D>();

/** A fixture .npy (path relative to GOLDEN_DIR) as an image in its stored dtype; cached, so do not modify it. */
export function loadGoldenImage(relativePath: string): Image2D {
  let image = imageCache.get(relativePath);
  if (image === undefined) {
    const path = join(GOLDEN_DIR, relativePath);
    image = npyToImage(decodeNpy(readFileSync(path), path), path);
    imageCache.set(relativePath, image);
  }
  return image;
}

/** The expected float64 output of an op case. */
export function loadGoldenExpected(goldenCase: GoldenOpCase): Image2D<Float64Array> {
  const image = loadGoldenImage(goldenCase.expected);
  if (!(image.data instanceof Float64Array)) throw new TypeError(`${goldenCase.expected} should hold float64 values`);
  return image as Image2D<Float64Array>;
}

/** max |a - b| over all pixels (NaN when the values are NaN on one side only, so comparisons fail). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`arrays differ in length: ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = d; // NaN sticks
  }
  return max;
}

/** The largest |error| the case allows: tolerance * max(1, range of expected). */
export function allowedError(tolerance: number, expected: ArrayLike<number>): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < expected.length; i++) {
    min = Math.min(min, expected[i]);
    max = Math.max(max, expected[i]);
  }
  return tolerance * Math.max(1, max - min);
}

/** Where the ChestX-ray8 samples are (XRAY_SAMPLES, else ../shared/data/chestxray8-sample), or null when absent. */
export function findSamplesDir(): string | null {
  const dir = process.env.XRAY_SAMPLES ?? join(REPO_ROOT, '..', 'shared', 'data', 'chestxray8-sample');
  return existsSync(dir) ? dir : null;
}

/** SciPy fingerprints of each op on the real sample (test/golden/real-sample.json). */
export interface RealSampleFingerprints {
  image: string;
  width: number;
  height: number;
  stats: ImageStats;
  histogram: HistogramOptions & { counts: number[] };
  /** [row, column] of each fingerprinted pixel. */
  positions: [number, number][];
  outputs: { request: OpRequest; sum: number; min: number; max: number; values: number[] }[];
}

export function loadRealSampleFingerprints(): RealSampleFingerprints {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'real-sample.json'), 'utf8')) as RealSampleFingerprints;
}
