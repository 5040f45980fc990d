/**
 * Image files on disk (Node only): read a .png or .npy as a 2-D image, write a filter result as
 * .npy (raw float32) or .png (min-max scaled to 8 bits, or coloured with a matplotlib colormap).
 * Every failure is an `ImageFileError` whose message starts with the path.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type DecodeImageOptions, decodeImageWith } from '../codecs/decode-image.js';
import { ImageFileError } from '../codecs/errors.js';
import { encodeNpy } from '../codecs/npy.js';
import { scaleToLevels } from '../cpu/fast/levels.js';
import type { Image2D } from '../image.js';
import { applyColormap } from '../render/colormap.js';
import { writeFileAtomic } from './atomic.js';
import { encodePng, encodePngRgba, nodeZlib } from './png.js';

/** decodeImage's options; the file's path is the name in errors. */
export type ReadImageOptions = Omit<DecodeImageOptions, 'name'>;

export interface WriteImageOptions {
  /** .png only: colour with this matplotlib colormap (e.g. "gray", "viridis") instead of writing gray levels. */
  cmap?: string;
}

/** The formats `readImageFile` and `writeImageFile` know, by extension. */
export const IMAGE_EXTENSIONS = ['.png', '.npy'] as const;

/**
 * Reads an image file and decodes it with `decodeImage` (src/codecs/decode-image.ts): PNG (any kind,
 * converted to gray as src/codecs/png.ts documents), JPEG, DICOM or a 2-D .npy array (uint8, uint16,
 * float32 or float64). The kind is taken from the file's first bytes, falling back on the extension
 * to say what was expected.
 */
export async function readImageFile(path: string, options: ReadImageOptions = {}): Promise<Image2D> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ImageFileError(path, describeFsError(error, 'read'), { cause: error });
  }
  return decodeImageWith(nodeZlib, bytes, { ...options, name: path });
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
