/**
 * The images a benchmark runs on: real radiographs from a folder, resampled to each benchmark size,
 * or the synthetic chest radiograph series when no folder is given. Images are made once per size
 * and kept, so every engine and peer sees identical pixels.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Image2D } from '../image.js';
import { decodePng } from '../io/png.js';
import { syntheticSeries } from '../synthetic/phantom.js';

export interface BenchInputs {
  /** Where the pixels come from, for results.json (e.g. "9 PNGs from ./samples, resampled bilinearly"). */
  readonly description: string;
  readonly source: 'images' | 'synthetic';
  /** `count` different square 8-bit images of `size` x `size` (cycling through the sources if needed). */
  images(size: number, count: number): Image2D<Uint8Array>[];
}

/** Loads every .png in `directory` (sorted by name); they must be 8-bit grayscale. */
export async function imageInputs(directory: string): Promise<BenchInputs> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.toLowerCase().endsWith('.png')).sort();
  } catch (error) {
    throw new Error(`cannot list benchmark images in ${directory}`, { cause: error });
  }
  if (names.length === 0) throw new Error(`no .png images in ${directory}`);
  const sources = await Promise.all(
    names.map(async (name) => {
      const path = join(directory, name);
      const image = decodePng(await readFile(path), path);
      if (!(image.data instanceof Uint8Array)) throw new Error(`benchmark images must be 8-bit; ${path} is 16-bit`);
      return image as Image2D<Uint8Array>;
    }),
  );
  const sizes = [...new Set(sources.map((s) => `${s.width}x${s.height}`))].join(', ');
  return cachedInputs(
    'images',
    `${names.length} PNG${names.length > 1 ? 's' : ''} (${sizes}) from ${directory}, resampled bilinearly to each size`,
    (size, index) => resizeBilinear(sources[index % sources.length], size, size),
  );
}

/** The synthetic chest radiograph series (src/synthetic), rendered at each size. */
export function syntheticInputs(): BenchInputs {
  const rendered = new Map<string, Image2D<Uint8Array>[]>();
  return cachedInputs('synthetic', 'synthetic PA chest radiographs (src/synthetic/phantom.ts), rendered at each size', (size, index, count) => {
    const key = `${size}:${count}`;
    if (!rendered.has(key)) rendered.set(key, syntheticSeries({ size, followUps: count }));
    return rendered.get(key)![index];
  });
}

function cachedInputs(
  source: BenchInputs['source'],
  description: string,
  make: (size: number, index: number, count: number) => Image2D<Uint8Array>,
): BenchInputs {
  const cache = new Map<string, Image2D<Uint8Array>>();
  return {
    source,
    description,
    images(size, count) {
      if (!Number.isInteger(size) || size < 1) throw new RangeError(`image size must be a positive integer, got ${size}`);
      return Array.from({ length: count }, (_, index) => {
        const key = `${size}:${index}:${count}`;
        if (!cache.has(key)) cache.set(key, make(size, index, count));
        return cache.get(key)!;
      });
    },
  };
}

/**
 * Bilinear resampling with pixel centres aligned (OpenCV's INTER_LINEAR, no antialiasing): good
 * enough to make realistic content at every benchmark size from one radiograph.
 */
export function resizeBilinear(image: Image2D<Uint8Array>, width: number, height: number): Image2D<Uint8Array> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resize target must be positive integers, got ${width}x${height}`);
  }
  const { width: sw, height: sh, data: src } = image;
  const out = new Uint8Array(width * height);
  const column = (x: number) => Math.min(Math.max((x + 0.5) * (sw / width) - 0.5, 0), sw - 1);
  const x0 = new Int32Array(width);
  const fx = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const sx = column(x);
    x0[x] = Math.min(Math.floor(sx), sw - 2 < 0 ? 0 : sw - 2);
    fx[x] = sx - x0[x];
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * (sh / height) - 0.5, 0), sh - 1);
    const y0 = Math.min(Math.floor(sy), Math.max(sh - 2, 0));
    const fy = sy - y0;
    const row0 = y0 * sw;
    const row1 = Math.min(y0 + 1, sh - 1) * sw;
    for (let x = 0; x < width; x++) {
      const a = x0[x];
      const b = Math.min(a + 1, sw - 1);
      const top = src[row0 + a] + (src[row0 + b] - src[row0 + a]) * fx[x];
      const bottom = src[row1 + a] + (src[row1 + b] - src[row1 + a]) * fx[x];
      out[y * width + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { width, height, data: out };
}
