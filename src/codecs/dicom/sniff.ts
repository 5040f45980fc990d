/**
 * Is it DICOM, and in which layout (PS3.10 7.1): Part 10 with preamble and "DICM", a meta header
 * without the preamble, or a bare data set whose transfer syntax is sniffed from its first element.
 * No dependencies, so decodeImage can sniff without loading the DICOM decoder.
 */
import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntax.js';

export const PREAMBLE = 128;
export const DICM = [0x44, 0x49, 0x43, 0x4d];

/** The 27 two-letter value representations of PS3.5 table 6.2-1. */
const VRS = new Set('AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '));

export type Layout =
  | { kind: 'part10' }
  | { kind: 'meta-without-preamble'; skip: number }
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
export function layoutOf(bytes: Uint8Array): Layout | undefined {
  if (hasDicmAt(bytes, PREAMBLE)) return { kind: 'part10' };
  if (bytes.length < 8) return undefined;
  // "DICM" and the meta header with the preamble cut off.
  if (hasDicmAt(bytes, 0) && bytes[4] === 0x02 && bytes[5] === 0x00 && vrAt(bytes, 8)) return { kind: 'meta-without-preamble', skip: 4 };
  // The first elements of groups 0002 and 0008 are numbered low (either byte order).
  if (bytes[2] !== 0 && bytes[3] !== 0) return undefined;
  // Meta header (always explicit VR little endian) starting at byte 0: tag (0002,xxxx) then a VR.
  if (bytes[0] === 0x02 && bytes[1] === 0x00 && vrAt(bytes, 4)) return { kind: 'meta-without-preamble', skip: 0 };
  if (bytes[0] === 0x08 && bytes[1] === 0x00) {
    if (vrAt(bytes, 4)) return { kind: 'raw', transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN };
    const length = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16)) + bytes[7] * 2 ** 24;
    if (length % 2 === 0 && length <= bytes.length - 8) return { kind: 'raw', transferSyntaxUid: IMPLICIT_VR_LITTLE_ENDIAN };
    return undefined;
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x08 && vrAt(bytes, 4)) return { kind: 'raw', transferSyntaxUid: EXPLICIT_VR_BIG_ENDIAN };
  return undefined;
}

/** Whether the bytes look like DICOM (any of the layouts above). Cheap: reads at most 132 bytes. */
export function isDicom(bytes: Uint8Array): boolean {
  return layoutOf(bytes) !== undefined;
}
