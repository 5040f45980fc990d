/**
 * Image files on disk (Node only): read a .png or .npy as a 2-D image, write a filter result as
 * .npy (raw float32) or .png (min-max scaled to 8 bits, or coloured with a matplotlib colormap).
 * Every failure is an `ImageFileError` whose message starts with the path.
 */
import { extname } from 'node:path';
import { type DecodeImageOptions, decodeImageWith, sniffImageKind } from '../codecs/decode-image.js';
import { readPngHeader } from '../codecs/png.js';
import { ImageFileError } from '../codecs/errors.js';
import { encodeNpy } from '../codecs/npy.js';
import { scaleToLevels } from '../cpu/fast/levels.js';
import type { Image2D } from '../image.js';
import { applyColormap } from '../render/colormap.js';
import { writeFileAtomic } from './atomic.js';
import { describeFsError } from './fs-errors.js';
import { encodePng, encodePngRgba, nodeZlib } from './png.js';
import { readInputFile } from './read-input.js';

/** decodeImage's options (the file's path is the name in errors), and the bounds of reading the file. */
export interface ReadImageOptions extends Omit<DecodeImageOptions, 'name'> {
  /** Refuse input files larger than this many bytes (default: read-input.ts's DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /**
   * Called with the image's size as soon as it is known (a PNG's header, before any pixel memory is
   * allocated; other kinds once decoded within maxPixels); throws to refuse the image, e.g. when it
   * would not fit a memory budget.
   */
  checkSize?: (width: number, height: number) => void;
}

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
  const { maxFileBytes, checkSize, ...decodeOptions } = options;
  const decode = (bytes: Uint8Array) => decodeImageWith(nodeZlib, bytes, { ...decodeOptions, name: path });
  // A file of no known kind fails on its first bytes, with the error its whole content would give.
  const checkHead = async (head: Uint8Array) => {
    if (sniffImageKind(head) === undefined) await decode(head);
  };
  const bytes = await readInputFile(path, { maxBytes: maxFileBytes, checkHead });
  if (checkSize && sniffImageKind(bytes) === 'png') {
    const header = readPngHeader(bytes, path, decodeOptions);
    refuseSize(header.width, header.height, path, checkSize);
  }
  const image = await decode(bytes);
  if (checkSize) refuseSize(image.width, image.height, path, checkSize);
  return image;
}

/** The caller's size check, its refusal an ImageFileError naming the file. */
function refuseSize(width: number, height: number, path: string, checkSize: (width: number, height: number) => void): void {
  try {
    checkSize(width, height);
  } catch (error) {
    throw new ImageFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
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
