/**
 * DICOM decoding, browser-safe: Part 10 files (with or without preamble and meta header) and bare
 * data sets in every transfer syntax of `transfer-syntax.ts`, to a grayscale `Image2D` of the values
 * asked for (stored, modality or display). Compressed frames are decoded by WebAssembly codecs that
 * load on first use. Every failure is an `ImageFileError` naming the file.
 */
import type { Image2D } from '../../image.js';
import { ImageFileError } from '../errors.js';
import { type DicomAttributes, readAttributes } from './attributes.js';
import { type DecodedSamples, decodeFrame } from './codecs.js';
import { encapsulatedFrame, nativeFrame } from './frames.js';
import { type DataSet, PIXEL_DATA, parseDicom } from './parse.js';
import { expandYbr422, storedImage } from './pixels.js';
import { isDicom } from './sniff.js';
import { supportedTransferSyntax } from './transfer-syntax.js';
import { applyModality, applyVoi, modalityTransform, voiTransform } from './values.js';

export type { DicomAttributes, DicomIdentifying } from './attributes.js';
export { isDicom };

/**
 * Which pixels a DICOM becomes:
 * - `stored`: the stored values (integer dtype, bits outside BitsStored cleared, sign-extended);
 * - `modality`: the Modality LUT or RescaleSlope/Intercept applied (float64);
 * - `display` (default): 8-bit as a viewer shows it, the first VOI window or VOI LUT on the modality
 *   values (min-max where there is none), MONOCHROME1 inverted.
 */
export type DicomValues = 'stored' | 'modality' | 'display';

export const DICOM_VALUES: readonly DicomValues[] = ['stored', 'modality', 'display'];

export interface DicomDecodeOptions {
  /** The file's name, for error messages (default "<dicom bytes>"). */
  name?: string;
  values?: DicomValues;
  /** Frame of a multi-frame image, from 0 (default 0). */
  frame?: number;
  /** Refuse images whose Rows x Columns x NumberOfFrames exceeds this (default 2^28). */
  maxPixels?: number;
}

/** Default pixel ceiling, as for PNG: 2^28 (16384 x 16384). */
export const DEFAULT_MAX_PIXELS = 2 ** 28;

const DEFAULT_NAME = '<dicom bytes>';

/** The header attributes, without decoding any pixels (parsing stops at the pixel data). */
export function readDicomAttributes(bytes: Uint8Array, name = DEFAULT_NAME): DicomAttributes {
  const { dataSet, transferSyntaxUid } = parseDicom(bytes, name, { headerOnly: true });
  return readAttributes(dataSet, transferSyntaxUid);
}

interface Header {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  photometric: string;
  planar: boolean;
}

/** Checks the attributes decoding depends on, with the limits, before any pixel memory is allocated. */
function checkHeader(dataSet: DataSet, attributes: DicomAttributes, fail: (problem: string) => never, maxPixels: number): Header {
  const { rows, columns, numberOfFrames: frames } = attributes;
  if (rows === undefined || columns === undefined) fail('Rows or Columns (0028,0010/0011) is missing');
  if (rows < 1 || columns < 1) fail(`image size ${columns}x${rows} is empty`);
  if (rows * columns * frames > maxPixels) {
    fail(`image of ${columns}x${rows} pixels x ${frames} frames exceeds the limit of ${maxPixels} pixels`);
  }
  const bitsAllocated = attributes.bitsAllocated;
  if (bitsAllocated === undefined) fail('BitsAllocated (0028,0100) is missing');
  if (bitsAllocated === 1) fail('BitsAllocated 1 (bit-packed, e.g. a segmentation) is not supported, only 8, 16 and 32');
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) fail(`BitsAllocated ${bitsAllocated} is not supported, only 8, 16 and 32`);
  const bitsStored = attributes.bitsStored ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) fail(`BitsStored ${bitsStored} must be 1..BitsAllocated (${bitsAllocated})`);
  const highBit = attributes.highBit ?? bitsStored - 1;
  if (highBit < bitsStored - 1 || highBit >= bitsAllocated) fail(`HighBit ${highBit} must be BitsStored - 1 (${bitsStored - 1})..BitsAllocated - 1 (${bitsAllocated - 1})`);
  const samplesPerPixel = attributes.samplesPerPixel ?? 1;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) fail(`SamplesPerPixel ${samplesPerPixel} is not supported, only 1 and 3`);
  const photometric = attributes.photometricInterpretation ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2');
  if (samplesPerPixel === 1 && photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    fail(`PhotometricInterpretation ${photometric} is not supported for one sample per pixel, only MONOCHROME1 and MONOCHROME2`);
  }
  if (samplesPerPixel === 3 && !['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_ICT', 'YBR_RCT', 'YBR_PARTIAL_420'].includes(photometric)) {
    fail(`PhotometricInterpretation ${photometric} is not supported for three samples per pixel`);
  }
  const planar = samplesPerPixel === 3 && dataSet.uint16('x00280006') === 1;
  return { rows, columns, frames, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed: attributes.pixelRepresentation === 1, photometric, planar };
}

function describe(error: unknown): string {
  // Emscripten codecs throw a bare number (a C++ exception pointer) for corrupt streams.
  if (typeof error === 'number') return 'the codec rejected the compressed data (corrupt or unsupported stream)';
  return error instanceof Error ? error.message : String(error);
}

/** Decodes one frame to the values asked for, with the header attributes. */
export async function decodeDicom(
  bytes: Uint8Array,
  options: DicomDecodeOptions = {},
): Promise<{ image: Image2D; attributes: DicomAttributes }> {
  const name = options.name ?? DEFAULT_NAME;
  const values = options.values ?? 'display';
  function fail(problem: string, cause?: unknown): never {
    throw new ImageFileError(name, problem, cause === undefined ? undefined : { cause });
  }
  if (!DICOM_VALUES.includes(values)) throw new RangeError(`DICOM values must be one of ${DICOM_VALUES.join(', ')}, got ${String(values)}`);
  const frame = options.frame ?? 0;
  if (!Number.isInteger(frame) || frame < 0) throw new RangeError(`frame must be a non-negative integer, got ${frame}`);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;

  const { dataSet, transferSyntaxUid } = parseDicom(bytes, name);
  const attributes = readAttributes(dataSet, transferSyntaxUid);
  const syntax = supportedTransferSyntax(transferSyntaxUid);
  if (syntax === undefined) {
    fail(`unsupported transfer syntax ${transferSyntaxUid} (${attributes.transferSyntaxName})`);
  }
  const pixelData = dataSet.elements[PIXEL_DATA];
  if (pixelData === undefined) {
    const what = attributes.sopClassUid === undefined ? '' : ` (SOP class ${attributes.sopClassUid}${attributes.modality ? `, modality ${attributes.modality}` : ''})`;
    fail(`no pixel data (7FE0,0010): the file is not an image${what}`);
  }
  const header = checkHeader(dataSet, attributes, fail, maxPixels);
  if (frame >= header.frames) fail(`frame ${frame} is out of range: the file has ${header.frames} frame${header.frames === 1 ? '' : 's'}`);

  const stored = await storedFrame(dataSet, pixelData, syntax, header, frame, fail);
  const signed = header.signed;
  let image: Image2D;
  if (values === 'stored') {
    image = stored;
  } else {
    const modality = applyModality(stored.data, modalityTransform(dataSet, signed, attributes.rescaleSlope, attributes.rescaleIntercept));
    if (values === 'modality') {
      image = { width: stored.width, height: stored.height, data: modality };
    } else {
      let voi = voiTransform(dataSet, signed, attributes.windowCenter, attributes.windowWidth, attributes.voiLutFunction);
      if (voi.kind === 'minmax' && header.samplesPerPixel === 3 && header.bitsStored <= 8) voi = { kind: 'identity' };
      image = { width: stored.width, height: stored.height, data: applyVoi(modality, voi, header.photometric === 'MONOCHROME1') };
    }
  }
  return { image, attributes };
}

async function storedFrame(
  dataSet: DataSet,
  pixelData: NonNullable<DataSet['elements'][string]>,
  syntax: NonNullable<ReturnType<typeof supportedTransferSyntax>>,
  header: Header,
  frame: number,
  fail: (problem: string, cause?: unknown) => never,
) {
  const { rows, columns, samplesPerPixel, bitsAllocated } = header;
  const format = { bitsAllocated, bitsStored: header.bitsStored, highBit: header.highBit, signed: header.signed };
  const ybr = header.photometric === 'YBR_FULL' || header.photometric === 'YBR_FULL_422';
  if (syntax.pixelEncoding === 'native') {
    if (pixelData.encapsulatedPixelData) fail(`pixel data is encapsulated but the transfer syntax ${syntax.uid} (${syntax.name}) is native`);
    const subsampled = samplesPerPixel === 3 && header.photometric === 'YBR_FULL_422';
    const samplesPerFrame = rows * columns * (subsampled ? 2 : samplesPerPixel);
    let samples: ArrayLike<number>;
    try {
      samples = nativeFrame(dataSet, pixelData, frame, samplesPerFrame, bitsAllocated, syntax.bigEndian);
    } catch (error) {
      return fail(describe(error), error);
    }
    if (subsampled) samples = expandYbr422(samples, columns, rows);
    return storedImage({ samples, components: samplesPerPixel, planar: header.planar && !subsampled, ybr }, columns, rows, format);
  }
  if (!pixelData.encapsulatedPixelData) fail(`pixel data is not encapsulated but the transfer syntax ${syntax.uid} (${syntax.name}) needs it`);
  let decoded: DecodedSamples;
  try {
    const bytes = encapsulatedFrame(dataSet, pixelData, frame, header.frames, syntax.pixelEncoding === 'jpeg' || syntax.pixelEncoding === 'jpeg-lossless');
    decoded = await decodeFrame(syntax.pixelEncoding, bytes, { rows, columns, samplesPerPixel, bitsAllocated, photometric: header.photometric });
  } catch (error) {
    return fail(`frame ${frame} does not decode (${syntax.name}): ${describe(error)}`, error);
  }
  if (decoded.width !== columns || decoded.height !== rows || decoded.components !== samplesPerPixel) {
    fail(
      `frame ${frame} decodes to ${decoded.width}x${decoded.height} with ${decoded.components} samples per pixel, the header says ${columns}x${rows} with ${samplesPerPixel}`,
    );
  }
  const signed = decoded.signed ?? header.signed;
  return storedImage({ samples: decoded.samples, components: samplesPerPixel, planar: decoded.planar, ybr: ybr && !decoded.colourConverted }, columns, rows, { ...format, signed });
}
