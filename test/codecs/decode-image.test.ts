import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImageFileError, decodeImage, sniffImageKind } from '../../src/index.js';
import { encodeNpy } from '../../src/codecs/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { buildPng } from '../io/png-builder.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sampleDir = process.env.XRAY_SAMPLES ?? resolve(root, '../shared/data/chestxray8-sample');
const sample = join(sampleDir, '00000011_001.png');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** 132 bytes of preamble + "DICM", then an explicit-VR group 0002 element. */
function part10(): Uint8Array {
  const bytes = new Uint8Array(144);
  bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
  bytes.set([0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 0x04, 0x00], 132);
  return bytes;
}

describe('sniffImageKind', () => {
  it('recognises each kind by its first bytes', () => {
    expect(sniffImageKind(encodePng({ width: 1, height: 1, data: Uint8Array.of(1) }))).toBe('png');
    expect(sniffImageKind(encodeNpy([1, 1], Uint8Array.of(1)))).toBe('npy');
    expect(sniffImageKind(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe('jpeg');
    expect(sniffImageKind(part10())).toBe('dicom');
  });

  it('recognises DICOM without preamble: explicit VR (group 0002 or 0008) and implicit VR', () => {
    // (0002,0000) UL 4, value 0x20.
    expect(sniffImageKind(Uint8Array.of(0x02, 0, 0, 0, 0x55, 0x4c, 4, 0, 0x20, 0, 0, 0))).toBe('dicom');
    // (0008,0005) implicit VR, length 10 then 10 bytes.
    expect(sniffImageKind(Uint8Array.of(0x08, 0, 0x05, 0, 10, 0, 0, 0, ...new Array<number>(10).fill(0x20)))).toBe('dicom');
  });

  it('says undefined for anything else, including near misses', () => {
    expect(sniffImageKind(new Uint8Array(0))).toBeUndefined();
    expect(sniffImageKind(new TextEncoder().encode('GIF89a and more bytes'))).toBeUndefined();
    expect(sniffImageKind(Uint8Array.of(0x89, 0x50, 0x4e, 0x47))).toBeUndefined(); // PNG signature cut short
    expect(sniffImageKind(Uint8Array.of(0xff, 0xd8))).toBeUndefined();
    // Group 0008 with an odd implicit length longer than the file.
    expect(sniffImageKind(Uint8Array.of(0x08, 0, 0x05, 0, 0xff, 0xff, 0, 0, 1, 2, 3, 4))).toBeUndefined();
    // Group 0010 (patient) is not how a file starts.
    expect(sniffImageKind(Uint8Array.of(0x10, 0, 0x10, 0, 0x50, 0x4e, 4, 0, 0x20, 0, 0, 0))).toBeUndefined();
    const dicmElsewhere = part10();
    dicmElsewhere[128] = 0;
    expect(sniffImageKind(dicmElsewhere)).toBeUndefined();
  });
});

describe('decodeImage', () => {
  it('decodes every PNG kind as the PNG codec does (here 16-bit and palette)', async () => {
    const g16 = buildPng({ width: 3, height: 2, bitDepth: 16, colorType: 0, samples: [0, 1, 300, 65535, 4096, 7] });
    expect(await decodeImage(g16)).toEqual(decodePng(g16, 'x'));
    const palette = [
      [255, 0, 0],
      [0, 255, 0],
    ] as const;
    const indexed = buildPng({ width: 2, height: 2, bitDepth: 1, colorType: 3, palette, samples: [0, 1, 1, 0], interlaced: true });
    expect(Array.from((await decodeImage(indexed)).data)).toEqual([76, 150, 150, 76]);
  });

  it('decodes a 2-D .npy with its dtype', async () => {
    const values = Float32Array.of(1.5, -2, 3, 4, 5, 6);
    expect(await decodeImage(encodeNpy([3, 2], values))).toEqual({ width: 2, height: 3, data: values });
  });

  it.skipIf(!existsSync(sample))(`decodes a ChestX-ray8 sample to the pixels readImageFile gives (skipped without ${sampleDir})`, async () => {
    const bytes = readFileSync(sample);
    const image = await decodeImage(new Uint8Array(bytes));
    expect(image.width).toBe(1024);
    expect(image.data).toEqual(decodePng(bytes, sample).data);
  });

  it('names the file in every error, "image" by default', async () => {
    const bad = buildPng({ width: 2, height: 1, bitDepth: 8, colorType: 0, samples: [1, 2] }).slice(0, 40);
    const error = await rejection(decodeImage(bad));
    expect(error).toBeInstanceOf(ImageFileError);
    expect(error.message).toMatch(/^image: truncated: /);
    expect((await rejection(decodeImage(bad, { name: 'https://host/a/scan.png?x=1' }))).message).toMatch(
      /^https:\/\/host\/a\/scan\.png\?x=1: truncated: /,
    );
  });

  it('reads unknown content as its extension says, so the error speaks of that kind', async () => {
    const text = new TextEncoder().encode('hello');
    expect((await rejection(decodeImage(text, { name: 'a.png' }))).message).toBe('a.png: not a PNG file (bad signature)');
    expect((await rejection(decodeImage(text, { name: 'a.npy' }))).message).toMatch(/^a\.npy: not a \.npy file/);
    expect((await rejection(decodeImage(text, { name: 'https://h/x.gif?v=a.png' }))).message).toBe(
      'https://h/x.gif?v=a.png: unsupported file type: expected a PNG, JPEG, DICOM or .npy file, got a .gif file that is none of them',
    );
    expect((await rejection(decodeImage(text, { name: 'scan' }))).message).toBe(
      'scan: unsupported file type: expected a PNG, JPEG, DICOM or .npy file, got a file with no extension that is none of them',
    );
    expect((await rejection(decodeImage(new Uint8Array(0), { name: 'scan' }))).message).toMatch(/got an empty file that is none of them$/);
  });

  it('passes maxPixels on, and refuses bad options with a RangeError', async () => {
    const png = encodePng({ width: 4, height: 4, data: new Uint8Array(16) });
    expect((await rejection(decodeImage(png, { maxPixels: 15 }))).message).toMatch(/16 pixels, more than the limit of 15/);
    expect((await decodeImage(png, { maxPixels: 16 })).width).toBe(4);
    for (const options of [{ maxPixels: 0 }, { maxPixels: 1.5 }, { frame: -1 }, { frame: 0.5 }]) {
      expect(await rejection(decodeImage(png, options))).toBeInstanceOf(RangeError);
    }
    const wrong = { dicomValues: 'raw' } as unknown as { dicomValues: 'stored' };
    expect((await rejection(decodeImage(png, wrong))).message).toBe('dicomValues must be one of stored, modality, display, got raw');
  });

  it('refuses a frame beyond 0 for single-frame kinds', async () => {
    const png = encodePng({ width: 1, height: 1, data: Uint8Array.of(1) });
    expect((await rejection(decodeImage(png, { name: 'a.png', frame: 2 }))).message).toBe('a.png: a PNG file holds one frame (frame 0); frame 2 asked');
  });

  it('takes the bytes as a Uint8Array only', async () => {
    const buffer = new ArrayBuffer(8) as unknown as Uint8Array;
    expect(await rejection(decodeImage(buffer))).toBeInstanceOf(TypeError);
  });
});
