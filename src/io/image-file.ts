/**
 * Image files on disk (Node only): read a .png or .npy as a 2-D image, write a filter result as
 * .npy (raw float32) or .png (min-max scaled to 8 bits, or coloured with a matplotlib colormap).
 * Every failure is an `ImageFileError` whose message starts with the path.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { scaleToLevels } from '../cpu/fast/levels.js';
import type { Image2D } from '../image.js';
import { type ColormapOptions, applyColormap, displayRange, loadColormap } from '../render/colormap.js';
import { writeFileAtomic } from './atomic.js';
import { ImageFileError } from './errors.js';
import { decodeNpy, encodeNpy, npyToImage } from './npy.js';
import { type DecodePngOptions, decodePng, encodePng, encodePngRgba } from './png.js';

/** Options of `readImageFile`. */
export type ReadImageOptions = DecodePngOptions;

export interface WriteImageOptions extends ColormapOptions {
  /** .png only: colour with this matplotlib colormap (e.g. "gray", "viridis", "bone_r") instead of writing gray levels. */
  cmap?: string;
}

/** The formats `readImageFile` and `writeImageFile` know, by extension. */
export const IMAGE_EXTENSIONS = ['.png', '.npy'] as const;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * Reads a 2-D image: PNG (any kind, converted to gray as `decodePng` documents) or a 2-D .npy array
 * (uint8, uint16, float32 or float64). The format is taken from the file's first bytes, falling back
 * on the extension to say what was expected.
 */
export async function readImageFile(path: string, options: ReadImageOptions = {}): Promise<Image2D> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ImageFileError(path, describeFsError(error, 'read'), { cause: error });
  }
  const extension = extname(path).toLowerCase();
  if (startsWith(bytes, NPY_MAGIC) || (extension === '.npy' && !startsWith(bytes, PNG_MAGIC))) {
    return decodeNpyImage(bytes, path);
  }
  if (startsWith(bytes, PNG_MAGIC) || extension === '.png') return decodePng(bytes, path, options);
  throw new ImageFileError(
    path,
    `unsupported file type: expected a PNG or .npy file (${IMAGE_EXTENSIONS.join(', ')}), got ${extension ? `a ${extension} file` : 'no extension'} that is neither`,
  );
}

/**
 * Writes an image, atomically, in the format its extension names:
 *   .npy  float32, shape [height, width], C order: the values as they are (no rescaling)
 *   .png  without `cmap`: 8-bit gray, min-max scaled (see `scaleToUint8`)
 *         with `cmap`: RGBA, coloured as matplotlib's imshow(values, cmap) over the data's range
 */
export async function writeImageFile(path: string, image: Image2D, options: WriteImageOptions = {}): Promise<void> {
  const extension = extname(path).toLowerCase();
  let bytes: Uint8Array;
  try {
    if (extension === '.npy') {
      if (options.cmap !== undefined) throw new RangeError(`a colormap applies to .png output only; .npy holds the raw values`);
      if (options.vmin !== undefined || options.vmax !== undefined || options.clipPercentile !== undefined) {
        throw new RangeError('vmin, vmax and clipPercentile apply to .png output only; .npy holds the raw values');
      }
      const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
      bytes = encodeNpy([image.height, image.width], data);
    } else if (extension === '.png') {
      const { cmap, ...range } = options;
      if (cmap !== undefined) await loadColormap(cmap);
      bytes =
        cmap === undefined
          ? encodePng(scaleToUint8(image, range))
          : encodePngRgba(image.width, image.height, applyColormap(image.data, cmap, range));
    } else {
      throw new RangeError(`unsupported output type ${extension || '(no extension)'}: use ${IMAGE_EXTENSIONS.join(' or ')}`);
    }
  } catch (error) {
    throw new ImageFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new ImageFileError(path, describeFsError(error, 'write'), { cause: error });
  }
}

/**
 * Min-max scales an image to 8 bits: `round((v - min) * 255 / (max - min))` with min and max over the
 * finite values, so min -> 0 and max -> 255. A constant image gives all zeros; NaN and infinities
 * give 0 (they carry no level). `vmin`/`vmax`/`clipPercentile` (as `applyColormap` takes them) set
 * another range; values beyond it are clipped to 0 and 255.
 */
export function scaleToUint8(image: Image2D, range: ColormapOptions = {}): Image2D<Uint8Array> {
  if (range.vmin === undefined && range.vmax === undefined && range.clipPercentile === undefined) {
    return { width: image.width, height: image.height, data: scaleToLevels(image.data) };
  }
  const { vmin, vmax } = displayRange(image.data, range);
  let nonFinite = 0;
  const clipped = Float64Array.from(image.data, (v) => {
    if (!Number.isFinite(v)) {
      nonFinite++;
      return v;
    }
    return v < vmin ? vmin : v > vmax ? vmax : v;
  });
  return { width: image.width, height: image.height, data: scaleToLevels(clipped, { min: vmin, max: vmax, nonFinite }) };
}

function decodeNpyImage(bytes: Uint8Array, path: string): Image2D {
  try {
    return npyToImage(decodeNpy(bytes, path), path);
  } catch (error) {
    if (error instanceof ImageFileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // The npy codec already prefixes its messages with the name; keep the path once.
    const problem = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
    throw new ImageFileError(path, problem, { cause: error });
  }
}

function describeFsError(error: unknown, action: 'read' | 'write'): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return action === 'read' ? 'no such file' : 'no such directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (cannot ${action})`;
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return `cannot ${action}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
