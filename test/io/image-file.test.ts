import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageFileError } from '../../src/io/errors.js';
import { readImageFile, scaleToUint8, writeImageFile } from '../../src/io/image-file.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xray-image-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<ImageFileError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFileError);
  return error as ImageFileError;
}

describe('readImageFile', () => {
  it('reads a PNG and a 2-D .npy', async () => {
    const data = Uint8Array.of(0, 10, 20, 30, 40, 250);
    writeFileSync(join(dir, 'a.png'), encodePng({ width: 3, height: 2, data }));
    expect(await readImageFile(join(dir, 'a.png'))).toEqual({ width: 3, height: 2, data });
    const values = Float64Array.of(-1.5, 0, 2.25, 1e6, 7, 8);
    writeFileSync(join(dir, 'a.npy'), encodeNpy([2, 3], values));
    expect(await readImageFile(join(dir, 'a.npy'))).toEqual({ width: 3, height: 2, data: values });
  });

  it('reads a JPEG as decodeImage does', async () => {
    const jpeg = new URL('../golden/jpeg/gray-baseline-37x53.jpg', import.meta.url);
    const expected = decodeNpy(readFileSync(new URL('../golden/jpeg/gray-baseline-37x53.npy', import.meta.url)));
    const path = join(dir, 'scan-without-extension');
    writeFileSync(path, readFileSync(jpeg));
    expect(await readImageFile(path)).toEqual({ width: 37, height: 53, data: new Uint8Array(expected.data) });
  });

  it('goes by the content, not the extension', async () => {
    writeFileSync(join(dir, 'really-png.npy'), encodePng({ width: 1, height: 1, data: Uint8Array.of(9) }));
    expect((await readImageFile(join(dir, 'really-png.npy'))).data).toEqual(Uint8Array.of(9));
  });

  it('passes maxPixels on to the PNG decoder', async () => {
    writeFileSync(join(dir, 'big.png'), encodePng({ width: 4, height: 4, data: new Uint8Array(16) }));
    expect((await rejection(readImageFile(join(dir, 'big.png'), { maxPixels: 15 }))).problem).toMatch(/16 pixels, more than the limit of 15/);
  });

  it('names the file in every error', async () => {
    const missing = join(dir, 'missing.png');
    expect((await rejection(readImageFile(missing))).message).toBe(`${missing}: no such file`);
    expect((await rejection(readImageFile(dir))).message).toBe(`${dir}: is a directory`);
    writeFileSync(join(dir, 'cube.npy'), encodeNpy([2, 2, 2], new Uint8Array(8)));
    expect((await rejection(readImageFile(join(dir, 'cube.npy')))).message).toBe(
      `${join(dir, 'cube.npy')}: expected a 2-D array [height, width], got shape (2, 2, 2)`,
    );
    writeFileSync(join(dir, 'photo.gif'), 'GIF89a');
    expect((await rejection(readImageFile(join(dir, 'photo.gif')))).message).toBe(
      `${join(dir, 'photo.gif')}: unsupported file type: expected a PNG, JPEG, DICOM or .npy file, got a .gif file that is none of them`,
    );
  });
});

describe('writeImageFile', () => {
  const image = { width: 3, height: 2, data: Float64Array.of(-1, 0, 1, 0.5, 300.25, Number.NaN) };

  it('writes .npy as float32 with the values unchanged', async () => {
    await writeImageFile(join(dir, 'out.npy'), image);
    const written = decodeNpy(readFileSync(join(dir, 'out.npy')));
    expect(written.shape).toEqual([2, 3]);
    expect(written.dtype).toBe('float32');
    expect(written.data).toEqual(Float32Array.from(image.data));
  });

  it('writes .png min-max scaled to 8 bits', async () => {
    await writeImageFile(join(dir, 'out.png'), image);
    // min -1, max 300.25: round((v + 1) * 255 / 301.25); NaN -> 0.
    const expected = [-1, 0, 1, 0.5, 300.25].map((v) => Math.round(((v + 1) * 255) / 301.25)).concat(0);
    expect(Array.from(decodePng(readFileSync(join(dir, 'out.png')), 'out.png').data)).toEqual(expected);
  });

  it('writes .png with a colormap as RGBA', async () => {
    await writeImageFile(join(dir, 'cmap.png'), { width: 2, height: 1, data: Float64Array.of(0, 1) }, { cmap: 'gray' });
    const bytes = readFileSync(join(dir, 'cmap.png'));
    expect(bytes[25]).toBe(6); // IHDR colour type: RGBA
    expect(Array.from(decodePng(bytes, 'cmap.png').data)).toEqual([0, 255]);
  });

  it('rejects a colormap for .npy, an unknown colormap and an unknown extension, writing nothing', async () => {
    const before = readdirSync(dir).length;
    expect((await rejection(writeImageFile(join(dir, 'c.npy'), image, { cmap: 'gray' }))).problem).toBe(
      'a colormap applies to .png output only; .npy holds the raw values',
    );
    expect((await rejection(writeImageFile(join(dir, 'c.png'), image, { cmap: 'jett' }))).problem).toMatch(/^unknown colormap "jett"; accepted: matplotlib/);
    expect((await rejection(writeImageFile(join(dir, 'c.tif'), image))).problem).toBe('unsupported output type .tif: use .png or .npy');
    expect(readdirSync(dir).length).toBe(before);
  });

  it('reports a missing directory', async () => {
    const path = join(dir, 'nope', 'out.npy');
    expect((await rejection(writeImageFile(path, image))).message).toBe(`${path}: no such directory`);
  });
});

describe('scaleToUint8', () => {
  it('maps min to 0 and max to 255, rounding to nearest', () => {
    expect(Array.from(scaleToUint8({ width: 3, height: 1, data: Float32Array.of(-1, 0, 1) }).data)).toEqual([0, 128, 255]);
  });

  it('gives all zeros for a constant image and for one with no finite value', () => {
    expect(Array.from(scaleToUint8({ width: 2, height: 1, data: Float64Array.of(7, 7) }).data)).toEqual([0, 0]);
    expect(Array.from(scaleToUint8({ width: 2, height: 1, data: Float64Array.of(Number.NaN, Infinity) }).data)).toEqual([0, 0]);
  });
});
