/**
 * Loader for the resize and CLAHE fixtures (test/golden/resize, test/golden/clahe), written by
 * scripts/make_resize_golden.py from skimage 0.19 and OpenCV 4.6; shared by the CPU and GPU tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type Image2D, imageFrom } from '../../src/image.js';
import { decodeNpy, npyToImage } from '../../src/io/npy.js';
import { GOLDEN_DIR } from './golden.js';

export interface ResizeGoldenCase {
  name: string;
  input: string;
  height: number;
  width: number;
  skimage: string;
  area: string;
  areaUint8: string;
}

export interface ClaheGoldenCase {
  name: string;
  input: string;
  expected: string;
  params: { clipLimit: number; nbins: number; kernelSize?: number | [number, number] };
}

interface Manifest<C> {
  cases: C[];
  real: (Record<string, unknown> & { sample: string }) | null;
}

const RESIZE_DIR = join(GOLDEN_DIR, 'resize');
const CLAHE_DIR = join(GOLDEN_DIR, 'clahe');

function manifest<C>(dir: string): Manifest<C> {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest<C>;
}

export const resizeManifest = (): Manifest<ResizeGoldenCase> => manifest<ResizeGoldenCase>(RESIZE_DIR);
export const claheManifest = (): Manifest<ClaheGoldenCase> => manifest<ClaheGoldenCase>(CLAHE_DIR);

export function loadResizeNpy(file: string): Image2D {
  return npyToImage(decodeNpy(readFileSync(join(RESIZE_DIR, file)), file), file);
}

export function loadClaheNpy(file: string): Image2D {
  return npyToImage(decodeNpy(readFileSync(join(CLAHE_DIR, file)), file), file);
}

/** An 8-bit gray PNG decoded with pngjs (independent of src/io/png.ts). */
export function decodeGrayPng(path: string): Image2D<Uint8Array> {
  const png = PNG.sync.read(readFileSync(path), { skipRescale: true });
  const gray = new Uint8Array(png.width * png.height);
  for (let i = 0; i < gray.length; i++) gray[i] = png.data[4 * i];
  return imageFrom(png.width, png.height, gray);
}

export const claheGoldenPath = (file: string): string => join(CLAHE_DIR, file);

/** max |a - b| over the pixels, after checking the sizes agree. */
export function maxAbsDiff(a: Image2D, b: Image2D): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

/** How many pixels differ by more than `levels`. */
export function countOff(a: Image2D, b: Image2D, levels: number): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i] - b.data[i]) > levels) n++;
  return n;
}
