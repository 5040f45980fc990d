import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/codecs/npy.js';
import { readJpegHeader } from '../../src/codecs/jpeg.js';
import { ImageFileError, decodeImage } from '../../src/index.js';

const golden = new URL('../golden/jpeg/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', golden), 'utf8')) as {
  cases: { name: string; width: number; height: number; colour: boolean; subsampling: string | null; progressive: boolean }[];
};
const jpegOf = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.jpg`, golden)));
const baseline = 'rgb420-baseline-37x53';

async function decodeError(bytes: Uint8Array, options: { maxPixels?: number } = {}): Promise<ImageFileError> {
  const error = await decodeImage(bytes, { name: 'photo.jpg', ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFileError);
  return error as ImageFileError;
}

/** Offset of the frame header's data (after FF Cn and the length) in a file Pillow wrote. */
function sofData(bytes: Uint8Array): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2)) return i + 4;
  throw new Error('no SOF0/SOF2');
}

/** Offset just after the SOS segment: the entropy-coded data. */
function scanData(bytes: Uint8Array): number {
  for (let i = 2; i < bytes.length - 1; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xda) return i + 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
  throw new Error('no SOS');
}

describe("JPEG decoding gives Pillow's convert('L') pixels (test/golden/jpeg, scripts/make_jpeg_golden.py)", () => {
  it.each(manifest.cases.map((c) => [c.name, c] as const))('%s', async (name, spec) => {
    const expected = decodeNpy(readFileSync(new URL(`${name}.npy`, golden)));
    const image = await decodeImage(jpegOf(name), { name: `${name}.jpg` });
    expect([image.width, image.height]).toEqual([spec.width, spec.height]);
    expect(image.data).toBeInstanceOf(Uint8Array);
    // libjpeg-turbo in both: exactly the same pixels (the issue allows 1 level; none is needed).
    let worst = 0;
    image.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected.data[i]))));
    expect(worst).toBe(0);
  });

  it('reads the frame header without decoding', () => {
    expect(readJpegHeader(jpegOf('rgb420-progressive-61x45'), 'p.jpg', 1e9)).toEqual({
      width: 61,
      height: 45,
      precision: 8,
      components: 3,
      process: 'progressive',
    });
    expect(readJpegHeader(jpegOf('gray-baseline-37x53'), 'g.jpg', 1e9)).toMatchObject({ components: 1, process: 'baseline' });
  });

  it('decodes one file after another and after a failure (the codec is loaded once and stays usable)', async () => {
    const good = jpegOf(baseline);
    const first = await decodeImage(good);
    await decodeError(good.subarray(0, good.length >> 1));
    expect(await decodeImage(good)).toEqual(first);
  });
});

describe('JPEG errors name the file and say what is wrong', () => {
  const good = jpegOf(baseline);

  it('rejects a file with a .jpg name that is no JPEG', async () => {
    expect((await decodeError(new TextEncoder().encode('JFIF but no SOI'))).message).toBe('photo.jpg: not a JPEG file (no SOI marker FF D8 at the start)');
    expect((await decodeError(new Uint8Array(0))).message).toMatch(/^photo\.jpg: (not a JPEG file \(the file is empty\)|unsupported file type)/);
  });

  it('rejects a file cut inside its headers', async () => {
    expect((await decodeError(good.subarray(0, 100))).message).toMatch(/^photo\.jpg: truncated: marker FF [0-9A-F]{2} at byte \d+ declares \d+ bytes, but only \d+ remain$/);
    expect((await decodeError(good.subarray(0, 2 + 3))).message).toMatch(/^photo\.jpg: truncated: /);
  });

  it('rejects a file cut inside its image data', async () => {
    const cut = good.subarray(0, scanData(good) + 200);
    expect((await decodeError(cut)).message).toBe('photo.jpg: truncated: the JPEG data ends before its end-of-image marker (FF D9)');
  });

  it('rejects corrupt image data (a bad marker in the scan) with one line', async () => {
    const bad = good.slice();
    bad.fill(0xff, scanData(good) + 10, scanData(good) + 12);
    bad[scanData(good) + 12] = 0xc4; // FF C4 (DHT) inside entropy-coded data
    expect((await decodeError(bad)).message).toBe('photo.jpg: corrupt JPEG data (baseline, 37x53): libjpeg-turbo cannot decode it');
  });

  it('refuses 12-bit samples and CMYK before decoding', async () => {
    const twelve = good.slice();
    twelve[sofData(good)] = 12;
    expect((await decodeError(twelve)).message).toBe('photo.jpg: 12-bit JPEG (baseline) is not supported: only 8-bit samples');
    const cmyk = good.slice();
    cmyk[sofData(good) + 5] = 4;
    expect((await decodeError(cmyk)).message).toBe('photo.jpg: JPEG with 4 components (CMYK or YCCK) is not supported: only gray (1) and colour (3)');
  });

  it('refuses a size over maxPixels from the frame header, and a zero height', async () => {
    expect((await decodeError(good, { maxPixels: 37 * 53 - 1 })).message).toBe(
      'photo.jpg: image is 37x53 = 1961 pixels, more than the limit of 1960; raise it with the maxPixels option (--max-pixels on the command line) if the file is genuine',
    );
    expect((await decodeImage(good, { maxPixels: 37 * 53 })).width).toBe(37);
    const huge = good.slice();
    huge.set([0xff, 0xff, 0xff, 0xff], sofData(good) + 1);
    expect((await decodeError(huge)).message).toMatch(/image is 65535x65535 = 4294836225 pixels, more than the limit of 268435456/);
    const noHeight = good.slice();
    noHeight.set([0, 0], sofData(good) + 1);
    expect((await decodeError(noHeight)).message).toBe(
      'photo.jpg: zero height in the JPEG frame header (a height given later by a DNL marker is not supported)',
    );
  });

  it('rejects a JPEG whose scan comes before any frame header', async () => {
    const bytes = Uint8Array.of(0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9);
    expect((await decodeError(bytes)).message).toBe('photo.jpg: corrupt JPEG: a scan (SOS) comes before the frame header (SOF)');
    expect((await decodeError(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9))).message).toBe(
      'photo.jpg: the JPEG ends (EOI) before any frame header: no image in the file',
    );
  });
});
