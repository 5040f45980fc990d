/**
 * DICOM files for the CLI tests: the committed samples (test/golden/dicom/samples), the pydicom test
 * files of the installed python3-pydicom package, their expected values (expected.json, from pydicom)
 * and byte patches that make broken files from a good one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Image2D } from '../../src/image.js';
import { GOLDEN_DIR } from './golden.js';

export interface DicomStats {
  min: number;
  max: number;
  mean: number;
}

export interface DicomRecord {
  file: string;
  source: 'pydicom' | 'samples';
  frame: number;
  transferSyntaxUid: string | null;
  lossy: boolean;
  shape: [number, number];
  storedSha256: string;
  displaySha256: string;
  stored: DicomStats;
  modality: DicomStats;
  display: DicomStats;
  gridRows: number[];
  gridCols: number[];
  storedGrid: number[][];
  modalityGrid: number[][];
  displayGrid: number[][];
}

export const DICOM_SAMPLES = join(GOLDEN_DIR, 'dicom', 'samples');
export const PYDICOM_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const havePydicom = existsSync(PYDICOM_FILES);

export const dicomRecords = (JSON.parse(readFileSync(join(GOLDEN_DIR, 'dicom', 'expected.json'), 'utf8')) as { records: DicomRecord[] }).records;

/** Files xray-gpu refuses on purpose (test/codecs/dicom-golden.test.ts checks the reasons). */
export const REFUSED_FILES = new Set([
  'liver_1frame.dcm',
  'liver_expb_1frame.dcm',
  'JPEG-lossy.dcm',
  'JPGExtended.dcm',
  'cxr0_u12_jpeg-extended.dcm',
  'cxr1_u12_jpeg-extended.dcm',
  'JPEG2000-embedded-sequence-delimiter.dcm',
  'SC_rgb_jpeg.dcm',
]);

export function dicomPathOf(record: Pick<DicomRecord, 'source' | 'file'>): string {
  return record.source === 'pydicom' ? join(PYDICOM_FILES, record.file) : join(DICOM_SAMPLES, record.file);
}

export const dicomSample = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DICOM_SAMPLES, name)));
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

/** A sample whose transfer syntax says JPEG 2000 Part 2 (same length UID), which xray-gpu does not decode. */
export function unsupportedSyntaxDicom(): Uint8Array {
  const bytes = dicomSample('cxr0_u8_j2k-lossless.dcm');
  bytes.set(ascii('1.2.840.10008.1.2.4.92'), indexOfBytes(bytes, ascii('1.2.840.10008.1.2.4.90')));
  return bytes;
}

/** A sample cut 100 bytes before its end: truncated pixel data. */
export function truncatedDicom(): Uint8Array {
  const bytes = dicomSample('cxr0_u16_explicit-le.dcm');
  return bytes.slice(0, bytes.length - 100);
}

/** A sample's header without its pixel data element: no pixel data. */
export function noPixelDataDicom(): Uint8Array {
  const bytes = dicomSample('cxr0_u8_explicit-le.dcm');
  return bytes.slice(0, indexOfBytes(bytes, Uint8Array.of(0xe0, 0x7f, 0x10, 0x00)));
}

/**
 * Replaces a text attribute's value in place, padded with spaces to its old length (so no length
 * changes): e.g. PatientID of an explicit VR little endian sample. Throws when the value is absent.
 */
export function patchText(bytes: Uint8Array, oldValue: string, newValue: string): Uint8Array {
  const at = indexOfBytes(bytes, ascii(oldValue));
  if (at < 0) throw new Error(`"${oldValue}" is not in the file`);
  if (newValue.length > oldValue.length) throw new Error(`"${newValue}" is longer than "${oldValue}"`);
  const out = bytes.slice();
  out.set(ascii(newValue.padEnd(oldValue.length, ' ')), at);
  return out;
}

/** SHA-256 of the values as float64, as scripts/make_dicom_golden.py hashes pydicom's array. */
export function valuesSha256(data: ArrayLike<number>): string {
  return createHash('sha256').update(new Uint8Array(Float64Array.from(data).buffer)).digest('hex');
}

export function meanOf(data: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  return sum / data.length;
}

/** Largest |actual - expected| over the record's grid of pixels. */
export function gridDiff(image: Image2D, record: DicomRecord, grid: number[][]): number {
  let worst = 0;
  record.gridRows.forEach((y, r) =>
    record.gridCols.forEach((x, c) => {
      worst = Math.max(worst, Math.abs(image.data[y * image.width + x] - grid[r][c]));
    }),
  );
  return worst;
}
