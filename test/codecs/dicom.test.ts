/**
 * The DICOM decoder's behaviours beyond the pydicom comparison: file layouts (no preamble, no meta
 * header), the header attributes, the options, and every way a file can be bad, asserted by message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/codecs/decode-image.js';
import { decodeDicom, isDicom, readDicomAttributes } from '../../src/codecs/dicom/index.js';
import { GOLDEN_DIR } from '../helpers/golden.js';

const SAMPLES = join(GOLDEN_DIR, 'dicom', 'samples');
const sample = (name: string) => new Uint8Array(readFileSync(join(SAMPLES, name)));
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function indexOf(bytes: Uint8Array, pattern: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let k = 0; k < pattern.length; k++) if (bytes[i + k] !== pattern[k]) continue outer;
    return i;
  }
  return -1;
}

/** The data set without preamble and meta header: (0002,0000) gives the meta group's length. */
function bareDataSet(bytes: Uint8Array): Uint8Array {
  const groupLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(132 + 8, true);
  return bytes.slice(132 + 12 + groupLength);
}

async function stored(bytes: Uint8Array) {
  return (await decodeDicom(bytes, { values: 'stored', name: 'x.dcm' })).image;
}

describe('DICOM layouts', () => {
  it('decodes a Part 10 file without its preamble, and bare data sets in implicit VR LE and explicit VR BE', async () => {
    const reference = await stored(sample('cxr0_s12_explicit-le.dcm'));
    expect(await stored(sample('cxr0_s12_explicit-le.dcm').slice(128))).toEqual(reference);
    expect(await stored(sample('cxr0_s12_explicit-le.dcm').slice(132))).toEqual(reference);
    const implicit = bareDataSet(sample('cxr0_s12_implicit-le.dcm'));
    const bigEndian = bareDataSet(sample('cxr0_s12_explicit-be.dcm'));
    expect(isDicom(implicit) && isDicom(bigEndian)).toBe(true);
    expect(await stored(implicit)).toEqual(reference);
    expect(await stored(bigEndian)).toEqual(reference);
    expect(reference.data).toBeInstanceOf(Int16Array);
  });

  it('tells DICOM from other files by content', () => {
    expect(isDicom(sample('cxr0_u8_rle.dcm'))).toBe(true);
    expect(isDicom(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0))).toBe(false);
    expect(isDicom(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46))).toBe(false);
    expect(isDicom(new Uint8Array(200))).toBe(false);
  });

  it('decodeImage sniffs DICOM and passes dicomValues, frame and maxPixels through', async () => {
    const bytes = sample('cxr0_u12_jpeg-ls.dcm');
    expect(await decodeImage(bytes, { name: 'a', dicomValues: 'stored' })).toEqual((await decodeDicom(bytes, { values: 'stored' })).image);
    expect(await decodeImage(bytes, { name: 'a' })).toEqual((await decodeDicom(bytes)).image);
    await expect(decodeImage(bytes, { name: 'a', frame: 1 })).rejects.toThrow('a: frame 1 is out of range: the file has 1 frame');
    await expect(decodeImage(bytes, { name: 'a', maxPixels: 100 })).rejects.toThrow('a: image of 40x40 pixels x 1 frames exceeds the limit of 100 pixels');
  });
});

describe('DICOM attributes', () => {
  it('reads what stats and batch need, and keeps identifying ones apart', () => {
    const a = readDicomAttributes(sample('cxr0_s12_explicit-be.dcm'), 'x.dcm');
    expect(a).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.2',
      transferSyntaxName: 'Explicit VR Big Endian',
      modality: 'DX',
      photometricInterpretation: 'MONOCHROME2',
      rows: 40,
      columns: 40,
      numberOfFrames: 1,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      highBit: 11,
      pixelRepresentation: 1,
      windowCenter: [-600],
      windowWidth: [1500],
      voiLutFunction: 'LINEAR_EXACT',
      rescaleSlope: 1,
      rescaleIntercept: -1024,
      viewPosition: 'PA',
      bodyPartExamined: 'CHEST',
    });
    expect(a.pixelSpacing?.[0]).toBeCloseTo(2.288, 6);
    expect(a.identifying.patientId).toBe('XRAYGPU-TEST');
    expect(a.identifying.patientName).toBe('Test^Fixture');
    expect(a.identifying.studyInstanceUid).toMatch(/^[0-9.]+$/);
  });
});

describe('DICOM values', () => {
  it('gives stored integers, float64 modality values and 8-bit display values, each different', async () => {
    const bytes = sample('cxr0_u12_explicit-le.dcm');
    const s = (await decodeDicom(bytes, { values: 'stored' })).image.data;
    const m = (await decodeDicom(bytes, { values: 'modality' })).image.data;
    const d = (await decodeDicom(bytes, { values: 'display' })).image.data;
    expect(s).toBeInstanceOf(Uint16Array);
    expect(m).toBeInstanceOf(Float64Array);
    expect(d).toBeInstanceOf(Uint8Array);
    // RescaleSlope 0.5, intercept -100.
    expect(m[7]).toBe(s[7] * 0.5 - 100);
    // MONOCHROME1, window 900/1600 (LINEAR): bright where the stored value is low.
    const y = (x: number) => Math.min(255, Math.max(0, Math.floor(((x - 899.5) / 1599 + 0.5) * 255 + 0.5)));
    expect(d[7]).toBe(255 - y(m[7]));
    expect((await decodeDicom(bytes)).image.data).toEqual(d);
  });
});

describe('DICOM errors name the file and the problem', () => {
  const fail = (bytes: Uint8Array, options = {}) => decodeDicom(bytes, { name: 'bad.dcm', ...options });

  it('an unsupported transfer syntax, with its UID and name', async () => {
    const bytes = sample('cxr0_u8_j2k-lossless.dcm');
    const at = indexOf(bytes, ascii('1.2.840.10008.1.2.4.90'));
    bytes.set(ascii('1.2.840.10008.1.2.4.92'), at);
    await expect(fail(bytes)).rejects.toThrow(
      'bad.dcm: unsupported transfer syntax 1.2.840.10008.1.2.4.92 (JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only))',
    );
  });

  it('no pixel data', async () => {
    const bytes = sample('cxr0_u8_explicit-le.dcm');
    const header = bytes.slice(0, indexOf(bytes, Uint8Array.of(0xe0, 0x7f, 0x10, 0x00)));
    await expect(fail(header)).rejects.toThrow('bad.dcm: no pixel data (7FE0,0010): the file is not an image (SOP class 1.2.840.10008.5.1.4.1.1.1.1, modality DX)');
  });

  it('truncated pixel data, native and encapsulated', async () => {
    const native = sample('cxr0_u16_explicit-le.dcm');
    await expect(fail(native.slice(0, native.length - 100))).rejects.toThrow(/^bad\.dcm: truncated pixel data/);
    const rle = sample('cxr0_u16_rle.dcm');
    await expect(fail(rle.slice(0, rle.length - 100))).rejects.toThrow(/^bad\.dcm: truncated pixel data/);
  });

  it('a frame that does not decode', async () => {
    const bytes = sample('cxr0_u16_jpeg-ls.dcm');
    const start = indexOf(bytes, Uint8Array.of(0xff, 0xd8, 0xff, 0xf7));
    bytes.fill(0xff, start + 40, start + 400);
    await expect(fail(bytes)).rejects.toThrow(/^bad\.dcm: frame 0 does not decode \(JPEG-LS Lossless\): /);
  });

  it('a frame out of range, and absurd dimensions before allocating', async () => {
    await expect(fail(sample('cxr0_u8_rle.dcm'), { frame: 3 })).rejects.toThrow('bad.dcm: frame 3 is out of range: the file has 1 frame');
    const bytes = sample('cxr0_u8_explicit-le.dcm');
    const rows = indexOf(bytes, Uint8Array.of(0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00)) + 8;
    bytes.set([0xff, 0xff], rows);
    bytes.set([0xff, 0xff], rows + 10); // Columns follows Rows
    await expect(fail(bytes)).rejects.toThrow('bad.dcm: image of 65535x65535 pixels x 1 frames exceeds the limit of 268435456 pixels');
  });

  it('not DICOM at all, and bad options', async () => {
    await expect(fail(new Uint8Array(300))).rejects.toThrow('bad.dcm: not a DICOM file: no "DICM" at byte 128 and no DICOM data set at byte 0');
    await expect(fail(sample('cxr0_u8_rle.dcm'), { frame: -1 })).rejects.toThrow(RangeError);
    await expect(fail(sample('cxr0_u8_rle.dcm'), { values: 'raw' })).rejects.toThrow('DICOM values must be one of stored, modality, display, got raw');
  });
});
