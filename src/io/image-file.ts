/**
 * Image files on disk (Node only): read a .png or .npy as a 2-D image, write a filter result as
 * .npy (raw float32) or .png (min-max scaled to 8 bits, or coloured with a matplotlib colormap).
 * Every failure is an `ImageFileError` whose message starts with the path.
 */
import { extname } from 'node:path';
import { scaleToLevels } from '../cpu/fast/levels.js';
import type { Image2D } from '../image.js';
import { applyColormap } from '../render/colormap.js';
import { writeFileAtomic } from './atomic.js';
import { ImageFileError } from './errors.js';
import { describeFsError } from './fs-errors.js';
import { decodeNpy, encodeNpy, npyToImage } from './npy.js';
import { type DecodePngOptions, decodePng, encodePng, encodePngRgba, readPngHeader } from './png.js';
import { readInputFile } from './read-input.js';

export interface ReadImageOptions extends DecodePngOptions {
  /** Refuse input files larger than this many bytes (default: read-input.ts's DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /**
   * Called with the image's size as soon as it is known (a PNG's header, before any pixel memory is
   * allocated); throws to refuse the image, e.g. when it would not fit a memory budget.
   */
  checkSize?: (width: number, height: number) => void;
}

export interface WriteImageOptions {
  /** .png only: colour with this matplotlib colormap (e.g. "gray", "viridis") instead of writing gray levels. */
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
  const extension = extname(path).toLowerCase();
  // A file of the wrong kind fails on its first bytes, with the error its whole content would give.
  const checkHead = (head: Uint8Array) => {
    if (!startsWith(head, NPY_MAGIC) && !startsWith(head, PNG_MAGIC)) decodeBytes(head, path, extension, options);
  };
  const bytes = await readInputFile(path, { maxBytes: options.maxFileBytes, checkHead });
  return decodeBytes(bytes, path, extension, options);
}

function decodeBytes(bytes: Uint8Array, path: string, extension: string, options: ReadImageOptions): Image2D {
  if (startsWith(bytes, NPY_MAGIC) || (extension === '.npy' && !startsWith(bytes, PNG_MAGIC))) {
    const image = decodeNpyImage(bytes, path);
    checkSize(image.width, image.height, path, options);
    return image;
  }
  if (startsWith(bytes, PNG_MAGIC) || extension === '.png') {
    if (options.checkSize) {
      const header = readPngHeader(bytes, path, options);
      checkSize(header.width, header.height, path, options);
    }
    return decodePng(bytes, path, options);
  }
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
      const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
      bytes = encodeNpy([image.height, image.width], data);
    } else if (extension === '.png') {
      bytes =
        options.cmap === undefined
          ? encodePng(scaleToUint8(image))
          : encodePngRgba(image.width, image.height, applyColormap(image.data, options.cmap));
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
 * give 0 (they carry no level).
 */
export function scaleToUint8(image: Image2D): Image2D<Uint8Array> {
  return { width: image.width, height: image.height, data: scaleToLevels(image.data) };
}

/** The caller's size check, its refusal an ImageFileError naming the file. */
function checkSize(width: number, height: number, path: string, options: ReadImageOptions): void {
  try {
    options.checkSize?.(width, height);
  } catch (error) {
    throw new ImageFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
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

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
