/**
 * The Canny golden fixtures written by scripts/make_canny_golden.py (scikit-image 0.19.3): small
 * synthetic cases as .npy, and skimage's edge maps of the real samples packed to one bit per pixel.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { CannyParams } from '../../src/filters/canny.js';
import type { Image2D } from '../../src/image.js';
import { decodeNpy, npyToImage } from '../../src/io/npy.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GOLDEN = join(ROOT, 'test', 'golden', 'canny');

export interface CannyCase {
  name: string;
  input: string;
  dtype: string;
  params: CannyParams;
  edges: string;
  edgeCount: number;
  /** Pixels that change when skimage computes the case in float32 (non-zero only where exact ties abound). */
  pixelsChangedByFloat32: number;
  /**
   * Present where skimage's result changes when SciPy's Gaussian weights are computed with
   * JavaScript's Math.exp instead of NumPy's exp (they differ in the last bit): that edge map.
   */
  edgesWithJsWeights?: string;
  pixelsChangedByJsWeights?: number;
}

export interface RealSampleEntry {
  sample: string;
  width: number;
  height: number;
  edges: string;
  edgeCount: number;
}

/** np.percentile(values, [100 q for q in quantiles]) as NumPy 1.24 computed it. */
export interface PercentileCase {
  values: number[];
  quantiles: number[];
  percentiles: number[];
}

interface Manifest {
  cases: CannyCase[];
  percentiles: PercentileCase[];
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8')) as Manifest;
}

export function cannyCases(): CannyCase[] {
  return manifest().cases;
}

export function percentileCases(): PercentileCase[] {
  return manifest().percentiles;
}

export function loadNpyImage(file: string): Image2D {
  return npyToImage(decodeNpy(readFileSync(join(GOLDEN, file)), file), file);
}

export function realSampleEntries(): { params: CannyParams; samples: RealSampleEntry[] } {
  return JSON.parse(readFileSync(join(GOLDEN, 'real', 'manifest.json'), 'utf8')) as { params: CannyParams; samples: RealSampleEntry[] };
}

/** skimage's edge map of a real sample: zlib(np.packbits(edges.ravel())), most significant bit first. */
export function loadPackedEdges(entry: RealSampleEntry): Uint8Array {
  const packed = inflateSync(readFileSync(join(GOLDEN, 'real', entry.edges)));
  const edges = new Uint8Array(entry.width * entry.height);
  for (let i = 0; i < edges.length; i++) edges[i] = (packed[i >> 3] >> (7 - (i & 7))) & 1;
  return edges;
}

/** The real samples' folder: XRAY_SAMPLES, else ../shared/data/chestxray8-sample; undefined when absent. */
export function samplesDir(): string | undefined {
  const dir = process.env.XRAY_SAMPLES ?? join(ROOT, '..', 'shared', 'data', 'chestxray8-sample');
  return existsSync(dir) ? dir : undefined;
}

/** How two 0/1 edge maps agree: on all pixels, and on the reference's edge pixels. */
export interface EdgeAgreement {
  pixels: number;
  differing: number;
  /** Fraction of all pixels on which both maps agree. */
  pixelAgreement: number;
  referenceEdges: number;
  /** Fraction of the reference's edge pixels that are edges in `actual` too. */
  edgeRecall: number;
}

export function edgeAgreement(actual: Uint8Array, reference: Uint8Array): EdgeAgreement {
  if (actual.length !== reference.length) throw new RangeError(`edge maps differ in size: ${actual.length} and ${reference.length}`);
  let differing = 0;
  let referenceEdges = 0;
  let found = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== reference[i]) differing++;
    if (reference[i] === 1) {
      referenceEdges++;
      if (actual[i] === 1) found++;
    }
  }
  return {
    pixels: actual.length,
    differing,
    pixelAgreement: 1 - differing / actual.length,
    referenceEdges,
    edgeRecall: referenceEdges === 0 ? 1 : found / referenceEdges,
  };
}
