/**
 * Bytes to a parsed DICOM data set (dicom-parser underneath), for every layout a file may have:
 * Part 10 with the 128-byte preamble and "DICM" (PS3.10 section 7.1), a meta header without the
 * preamble, or a bare data set with no meta header at all, whose transfer syntax is then sniffed
 * from its first element (implicit or explicit VR, little or big endian). Deflated data sets are
 * inflated with fflate, so no Node zlib is needed.
 */
import dicomParser from 'dicom-parser';
import { inflateSync } from 'fflate';
import { ImageFileError } from '../errors.js';
import { DICM, PREAMBLE, layoutOf } from './sniff.js';

export type DataSet = dicomParser.DataSet;
export type Element = dicomParser.Element;

export const PIXEL_DATA = 'x7fe00010';

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  // dicom-parser throws { exception, dataSet } when it fails part-way through the data set.
  if (typeof error === 'object' && error !== null && 'exception' in error) return message(error.exception);
  return String(error);
}

/** Strips dicom-parser's "dicomParser.function: " prefix, which means nothing to a user. */
function cleanMessage(text: string): string {
  return text.replace(/^dicomParser[.:][A-Za-z0-9]+: /, '');
}

/** Inflates a deflated data set (PS3.5 A.5: raw deflate, no zlib header) after the meta header. */
function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(bytes.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

export interface ParseOptions {
  /** Stop before the pixel data element (reading attributes only). */
  headerOnly?: boolean;
}

export interface Parsed {
  dataSet: DataSet;
  /** From the meta header, or the one sniffed for a bare data set. */
  transferSyntaxUid: string;
}

/** Parses the bytes; every failure is an `ImageFileError` naming `name`. */
export function parseDicom(bytes: Uint8Array, name: string, options: ParseOptions = {}): Parsed {
  const layout = layoutOf(bytes);
  if (layout === undefined) {
    throw new ImageFileError(name, 'not a DICOM file: no "DICM" at byte 128 and no DICOM data set at byte 0');
  }
  let input = bytes;
  const parseOptions: dicomParser.ParseDicomOptions = {
    inflater: (array: Uint8Array, position: number) => inflater(array, position),
  };
  if (options.headerOnly) parseOptions.untilTag = PIXEL_DATA;
  if (layout.kind === 'meta-without-preamble') {
    input = new Uint8Array(PREAMBLE + 4 + bytes.length - layout.skip);
    input.set(DICM, PREAMBLE);
    input.set(bytes.subarray(layout.skip), PREAMBLE + 4);
  } else if (layout.kind === 'raw') {
    parseOptions.TransferSyntaxUID = layout.transferSyntaxUid;
  }
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(input, parseOptions);
  } catch (error) {
    // If everything before the pixel data parses, the file ends inside the pixel data.
    let headerParses = false;
    if (!options.headerOnly) {
      try {
        dicomParser.parseDicom(input, { ...parseOptions, untilTag: PIXEL_DATA });
        headerParses = true;
      } catch {
        // the header itself is broken: report the first error
      }
    }
    const problem = headerParses ? 'truncated pixel data: the file ends inside the Pixel Data element (7FE0,0010)' : 'cannot parse the DICOM data set';
    throw new ImageFileError(name, `${problem}: ${cleanMessage(message(error))}`, { cause: error });
  }
  const transferSyntaxUid = layout.kind === 'raw' ? layout.transferSyntaxUid : (dataSet.string('x00020010') ?? '').replace(/\0+$/, '').trim();
  return { dataSet, transferSyntaxUid };
}
