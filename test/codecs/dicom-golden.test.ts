/**
 * DICOM decoding against pydicom 2.3 (+ gdcm): every pydicom test file with pixel data that pydicom
 * decodes, and the DICOMs made from ChestX-ray8 samples in every syntax (scripts/make_dicom_golden.py).
 * stored: equal to pydicom's values (bits above BitsStored masked) exactly when lossless, within 2
 * levels when lossy; modality: within 1e-6 of the range; display: within 1 level of the formula.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DicomValues, decodeDicom } from '../../src/codecs/dicom/index.js';
import type { Image2D } from '../../src/image.js';
import { type DicomRecord, PYDICOM_FILES, dicomPathOf as pathOf, dicomRecords, gridDiff, havePydicom, meanOf, valuesSha256 } from '../helpers/dicom-files.js';

if (!havePydicom) console.warn(`skipping the pydicom test files: ${PYDICOM_FILES} is absent (apt-get install python3-pydicom)`);


async function decode(record: DicomRecord, values: DicomValues): Promise<Image2D> {
  const { image } = await decodeDicom(new Uint8Array(readFileSync(pathOf(record))), { name: record.file, values, frame: record.frame });
  expect([image.height, image.width]).toEqual(record.shape);
  return image;
}

/**
 * Files pydicom decodes but xray-gpu refuses on purpose, with the error it must give instead:
 * bit-packed segmentations, 12-bit lossy JPEG (no 12-bit WebAssembly JPEG decoder yet), a JPEG 2000
 * codestream whose SIZ marker was overwritten (gdcm guesses, OpenJPEG refuses), and a file whose meta
 * header says explicit VR but whose data set is implicit (pydicom recovers, dicom-parser does not).
 */
const REFUSED: Record<string, RegExp> = {
  'liver_1frame.dcm': /BitsAllocated 1 \(bit-packed/,
  'liver_expb_1frame.dcm': /BitsAllocated 1 \(bit-packed/,
  'JPEG-lossy.dcm': /frame 0 does not decode \(JPEG Extended \(Process 2 & 4\)\): 12-bit lossy JPEG/,
  'JPGExtended.dcm': /frame 0 does not decode \(JPEG Extended \(Process 2 & 4\)\): 12-bit lossy JPEG/,
  'cxr0_u12_jpeg-extended.dcm': /12-bit lossy JPEG \(process 4\) is not supported/,
  'cxr1_u12_jpeg-extended.dcm': /12-bit lossy JPEG \(process 4\) is not supported/,
  'JPEG2000-embedded-sequence-delimiter.dcm': /frame 0 does not decode \(JPEG 2000 Image Compression\): the codec could not read the frame header/,
  'SC_rgb_jpeg.dcm': /cannot parse the DICOM data set: buffer overrun/,
};

const available = dicomRecords.filter((r) => r.source === 'samples' || havePydicom);
const cases = available.filter((r) => REFUSED[r.file] === undefined);
const label = (r: DicomRecord) => `${r.source}/${r.file} frame ${r.frame}${r.lossy ? ' (lossy)' : ''}`;

describe('DICOM decoding matches pydicom', () => {
  it('has records for every syntax the decoder supports', () => {
    const syntaxes = new Set(dicomRecords.map((r) => r.transferSyntaxUid));
    for (const uid of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81',
      '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']) {
      expect(syntaxes, uid).toContain(uid);
    }
  });

  it.each(available.filter((r) => REFUSED[r.file] !== undefined).map((r) => [label(r), r] as const))('refuses %s with a clear error', async (_, record) => {
    await expect(decodeDicom(new Uint8Array(readFileSync(pathOf(record))), { name: record.file })).rejects.toThrow(REFUSED[record.file]);
  });

  it.each(cases.map((r) => [label(r), r] as const))('stored values: %s', async (_, record) => {
    const image = await decode(record, 'stored');
    if (record.lossy) {
      expect(gridDiff(image, record, record.storedGrid)).toBeLessThanOrEqual(2);
      expect(Math.abs(meanOf(image.data) - record.stored.mean)).toBeLessThanOrEqual(2);
    } else {
      expect(valuesSha256(image.data), 'SHA-256 of the stored values').toBe(record.storedSha256);
    }
  });

  it.each(cases.map((r) => [label(r), r] as const))('modality values: %s', async (_, record) => {
    const image = await decode(record, 'modality');
    const range = Math.max(1, record.modality.max - record.modality.min);
    // Lossy: 2 stored levels through the rescale slope (estimated from the two ranges).
    const storedRange = record.stored.max - record.stored.min;
    const slope = storedRange > 0 ? (record.modality.max - record.modality.min) / storedRange : 1;
    const tolerance = record.lossy ? 2 * slope + 1e-6 * range : 1e-6 * range;
    expect(gridDiff(image, record, record.modalityGrid)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(meanOf(image.data) - record.modality.mean)).toBeLessThanOrEqual(tolerance);
  });

  it.each(cases.map((r) => [label(r), r] as const))('display values: %s', async (_, record) => {
    const image = await decode(record, 'display');
    expect(image.data).toBeInstanceOf(Uint8Array);
    if (record.lossy) {
      expect(Math.abs(meanOf(image.data) - record.display.mean)).toBeLessThanOrEqual(2);
    } else {
      expect(gridDiff(image, record, record.displayGrid)).toBeLessThanOrEqual(1);
      expect(Math.abs(meanOf(image.data) - record.display.mean)).toBeLessThanOrEqual(0.5);
    }
  });
});
