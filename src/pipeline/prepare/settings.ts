/**
 * What `prepare` does to each image, as one value: saved in prepare.json (so a dataset can be
 * reproduced) and compared on --resume (so shards made with other settings are never mixed).
 * Browser-safe, like the stages.
 */
import type { DecodeImageOptions, ImageKind } from '../../codecs/decode-image.js';
import { RESIZE_METHODS, type ResizeMethod, parseResizeSize, validateResizeSize } from '../../filters/resize.js';

/** The shards' element types. */
export const SHARD_DTYPES = ['uint8', 'float16', 'float32'] as const;
export type ShardDtype = (typeof SHARD_DTYPES)[number];

export const CROPS = ['none', 'center'] as const;
export type Crop = (typeof CROPS)[number];
export const NORMALIZATIONS = ['none', 'unit', 'xrv'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];
export const RESIZES = RESIZE_METHODS;
export type Resize = ResizeMethod;

/** prepare's `--clahe` settings. */
export interface ClaheSettings {
  /** skimage's clip_limit, in [0, 1] (0: no clipping). */
  clipLimit: number;
  /** skimage's kernel_size: [rows, columns]; undefined: 1/8 of each side, as skimage's None. */
  kernelSize?: [number, number];
}

/** The per-image stages of `prepare`: output size, resize method, crop, CLAHE, normalisation, dtype. */
export interface PrepareSettings {
  height: number;
  width: number;
  resize: Resize;
  crop: Crop;
  clahe?: ClaheSettings;
  normalize: Normalization;
  dtype: ShardDtype;
}

/**
 * How inputs are found and read before the stages: the kinds a folder walk takes, and which values
 * a DICOM input becomes (docs/io.md). An image that is not 8-bit after decoding becomes levels
 * 0..255 by its min and max (docs/prepare.md).
 */
export interface PrepareDecoding {
  inputs: ImageKind[];
  dicomValues: NonNullable<DecodeImageOptions['dicomValues']>;
  frame: number;
}

/** Throws a RangeError naming the first setting that cannot work. */
export function validateSettings(settings: PrepareSettings): PrepareSettings {
  validateResizeSize(settings.height, settings.width);
  if (!RESIZES.includes(settings.resize)) throw new RangeError(`--resize must be one of ${RESIZES.join(', ')}, got ${String(settings.resize)}`);
  if (!CROPS.includes(settings.crop)) throw new RangeError(`--crop must be one of ${CROPS.join(', ')}, got ${String(settings.crop)}`);
  if (!NORMALIZATIONS.includes(settings.normalize)) {
    throw new RangeError(`--normalize must be one of ${NORMALIZATIONS.join(', ')}, got ${String(settings.normalize)}`);
  }
  if (!SHARD_DTYPES.includes(settings.dtype)) throw new RangeError(`--dtype must be one of ${SHARD_DTYPES.join(', ')}, got ${String(settings.dtype)}`);
  if (settings.dtype === 'uint8' && settings.normalize !== 'none') {
    // unit is [0, 1] and xrv [-1024, 1024]: as 8-bit levels both would be clipped to a few values.
    throw new RangeError(`--dtype uint8 holds levels 0..255 and needs --normalize none, got --normalize ${settings.normalize}`);
  }
  const clahe = settings.clahe;
  if (clahe) {
    if (!(clahe.clipLimit >= 0 && clahe.clipLimit <= 1)) throw new RangeError(`--clahe-clip must be in [0, 1], got ${clahe.clipLimit}`);
    const kernel = clahe.kernelSize;
    if (kernel && kernel.some((k) => !Number.isInteger(k) || k < 1)) throw new RangeError(`--clahe-kernel must be integers >= 1, got ${kernel.join('x')}`);
  }
  return settings;
}

/** "256" or "256x320" (rows x columns). */
export function parseSize(text: string): { height: number; width: number } {
  return parseResizeSize(text);
}

/** "8" or "8x16": CLAHE's kernel in rows x columns. */
export function parseKernel(text: string): [number, number] {
  const match = /^(\d+)(?:x(\d+))?$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || (match[2] !== undefined && Number(match[2]) < 1)) {
    throw new RangeError(`--clahe-kernel must be K or KHxKW (integers >= 1), got ${JSON.stringify(text)}`);
  }
  return [Number(match[1]), Number(match[2] ?? match[1])];
}
