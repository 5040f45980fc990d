/**
 * One entry for every image file the engine reads, in browsers and in Node: the kind is sniffed from
 * the bytes (never from a name), then the codec for it decodes a 2-D grayscale image. Codecs that are
 * large or rarely needed are imported on first use, so a page that only reads PNG never loads them.
 */
import type { Image2D } from '../image.js';
import { isDicom } from './dicom/sniff.js';
import { ImageFileError } from './errors.js';
import { decodeJpeg } from './jpeg.js';
import { decodeNpy, npyToImage } from './npy.js';
import { DEFAULT_MAX_PIXELS, decodePngWith } from './png.js';
import { portableZlib, type ZlibFunctions } from './zlib.js';

export type ImageKind = 'png' | 'npy' | 'jpeg' | 'dicom';

/** The kinds, as an error message lists them. */
const KIND_NAMES = 'a PNG, JPEG, DICOM or .npy file';

export interface DecodeImageOptions {
  /** The file path or URL, used in every error message (default 'image'). */
  name?: string;
  /** Refuse images with more pixels than this, before allocating them (default `DEFAULT_MAX_PIXELS`, 2^28). */
  maxPixels?: number;
  /** DICOM only: which values the pixels become (default 'display'); see docs/io.md. */
  dicomValues?: 'stored' | 'modality' | 'display';
  /** DICOM multi-frame only: the frame to decode (default 0); other kinds hold frame 0 alone. */
  frame?: number;
}

const DICOM_VALUES = ['stored', 'modality', 'display'] as const;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** JPEG's SOI marker followed by the first marker's FF (ITU T.81 B.2.1). */
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** The file's kind, judged by its content alone; undefined when it is none of them. */
export function sniffImageKind(bytes: Uint8Array): ImageKind | undefined {
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, NPY_MAGIC)) return 'npy';
  if (startsWith(bytes, JPEG_MAGIC)) return 'jpeg';
  if (isDicom(bytes)) return 'dicom';
  return undefined;
}

/**
 * Decodes an image file's bytes to a 2-D grayscale image: PNG (uint8, or uint16 for 16-bit files),
 * JPEG (uint8), .npy (its dtype), DICOM (per `dicomValues`). Every problem with the file is an
 * `ImageFileError` naming `options.name`; bad options are a `RangeError`.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<Image2D> {
  return decodeImageWith(portableZlib, bytes, options);
}

/** `decodeImage` with the given inflate and CRC (Node's readImageFile passes node:zlib's, which are faster). */
export async function decodeImageWith(zlib: ZlibFunctions, bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<Image2D> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeImage takes the file as a Uint8Array');
  const { name = 'image', maxPixels = DEFAULT_MAX_PIXELS, dicomValues = 'display', frame = 0 } = options;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  if (!DICOM_VALUES.includes(dicomValues)) {
    throw new RangeError(`dicomValues must be one of ${DICOM_VALUES.join(', ')}, got ${String(dicomValues)}`);
  }
  if (!(Number.isInteger(frame) && frame >= 0)) throw new RangeError(`frame must be a non-negative integer, got ${frame}`);

  // A file of no known kind is read as its extension says, so that the error says what is wrong with it
  // as that kind (e.g. a truncated PNG signature), not merely that the kind is unknown.
  const kind = sniffImageKind(bytes) ?? kindOfExtension(name);
  if (!kind) {
    const extension = extensionOf(name);
    const got = bytes.length === 0 ? 'an empty file' : extension ? `a ${extension} file` : 'a file with no extension';
    throw new ImageFileError(name, `unsupported file type: expected ${KIND_NAMES}, got ${got} that is none of them`);
  }
  if (kind !== 'dicom' && frame > 0) throw new ImageFileError(name, `a ${kind.toUpperCase()} file holds one frame (frame 0); frame ${frame} asked`);
  switch (kind) {
    case 'png':
      return decodePngWith(zlib, bytes, name, { maxPixels });
    case 'npy':
      return decodeNpyImage(bytes, name);
    case 'jpeg':
      return decodeJpeg(bytes, name, { maxPixels });
    case 'dicom': {
      // Imported on the first DICOM: dicom-parser and the frame codecs stay out of the entry chunk.
      const { decodeDicom } = await import('./dicom/index.js');
      return (await decodeDicom(bytes, { name, values: dicomValues, frame, maxPixels })).image;
    }
  }
}

function decodeNpyImage(bytes: Uint8Array, name: string): Image2D {
  try {
    return npyToImage(decodeNpy(bytes, name), name);
  } catch (error) {
    if (error instanceof ImageFileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // The npy codec already prefixes its messages with the name; keep the name once.
    const problem = message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
    throw new ImageFileError(name, problem, { cause: error });
  }
}

function kindOfExtension(name: string): ImageKind | undefined {
  switch (extensionOf(name)) {
    case '.png':
      return 'png';
    case '.npy':
      return 'npy';
    case '.jpg':
    case '.jpeg':
      return 'jpeg';
    case '.dcm':
    case '.dicom':
      return 'dicom';
    default:
      return undefined;
  }
}

/** The lower-case extension of a path or URL's last segment ('' if none), without query or fragment. */
function extensionOf(name: string): string {
  const path = /^[a-z][a-z0-9+.-]*:/i.test(name) ? name.replace(/[?#].*$/, '') : name;
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
}
