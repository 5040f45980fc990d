/**
 * Bytes to a parsed DICOM data set (dicom-parser underneath), for every layout a file may have:
 * Part 10 with the 128-byte preamble and "DICM" (PS3.10 section 7.1), a meta header without the
 * preamble, or a bare data set with no meta header at all, whose transfer syntax is then sniffed
 * from its first element (implicit or explicit VR, little or big endian). Deflated data sets are
 * inflated with fflate, so no Node zlib is needed.
 */
import dicomParser from 'dicom-parser';
import { inflateSync } from 'fflate';
import { ImageFileError } from '../../io/errors.js';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from './transfer-syntax.js';

export type DataSet = dicomParser.DataSet;
export type Element = dicomParser.Element;

export const PIXEL_DATA = 'x7fe00010';

const PREAMBLE = 128;
const DICM = [0x44, 0x49, 0x43, 0x4d];

/** The 27 two-letter value representations of PS3.5 table 6.2-1. */
const VRS = new Set('AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

type Layout =
  | { kind: 'part10' }
  | { kind: 'meta-without-preamble' }
  | { kind: 'raw'; transferSyntaxUid: string };

function hasDicmAt(bytes: Uint8Array, offset: number): boolean {
  return bytes.length >= offset + 4 && DICM.every((b, i) => bytes[offset + i] === b);
}

function vrAt(bytes: Uint8Array, offset: number): boolean {
  return bytes.length >= offset + 2 && VRS.has(String.fromCharCode(bytes[offset], bytes[offset + 1]));
}

/**
 * Which layout the bytes have, or undefined when they are not DICOM. A bare data set is recognised
 * by its first tag being in group 0008 (identifying information, present in every real object).
 */
function layoutOf(bytes: Uint8Array): Layout | undefined {
  if (hasDicmAt(bytes, PREAMBLE)) return { kind: 'part10' };
  if (bytes.length < 8) return undefined;
  // Meta header (always explicit VR little endian) starting at byte 0: tag (0002,xxxx) then a VR.
  if (bytes[0] === 0x02 && bytes[1] === 0x00 && vrAt(bytes, 4)) return { kind: 'meta-without-preamble' };
  if (bytes[0] === 0x08 && bytes[1] === 0x00) {
    if (vrAt(bytes, 4)) return { kind: 'raw', transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN };
    const length = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16)) + bytes[7] * 2 ** 24;
    if (length <= bytes.length - 8) return { kind: 'raw', transferSyntaxUid: IMPLICIT_VR_LITTLE_ENDIAN };
    return undefined;
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x08 && vrAt(bytes, 4)) return { kind: 'raw', transferSyntaxUid: EXPLICIT_VR_BIG_ENDIAN };
  return undefined;
}

/** Whether the bytes look like DICOM (any of the layouts above). Cheap: reads at most 132 bytes. */
export function isDicom(bytes: Uint8Array): boolean {
  return layoutOf(bytes) !== undefined;
}

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
    input = new Uint8Array(PREAMBLE + 4 + bytes.length);
    input.set(DICM, PREAMBLE);
    input.set(bytes, PREAMBLE + 4);
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
