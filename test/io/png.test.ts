import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ImageFileError } from '../../src/io/errors.js';
import { decodePng as decodePngPortable } from '../../src/codecs/png.js';
import { decodePng as decodePngNode, encodePng, encodePngRgba, readPngHeader } from '../../src/io/png.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';
import { PNG_SIGNATURE, buildPng, chunk, concat, ihdr } from './png-builder.js';

const { PNG } = pngjs;

/** Pillow's convert("L") of these colours, from scripts/pillow-luma-oracle.py. */
const oracle = JSON.parse(readFileSync(new URL('./fixtures/pillow-luma.json', import.meta.url), 'utf8')) as {
  rgb: [number, number, number][];
  alpha: number[];
  luma: number[];
};
const n = oracle.rgb.length;
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sampleDir = process.env.XRAY_SAMPLES ?? resolve(root, '../shared/data/chestxray8-sample');
const sample001 = join(sampleDir, '00000011_001.png');

/** Deterministic pseudo-random samples in [0, max]. */
function samples(count: number, max: number, seed = 1): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % (max + 1);
  });
}

// Node decodes over node:zlib, browsers over fflate and a table CRC: both must give the same pixels and errors.
for (const [inflater, decodePng] of [
  ['node:zlib', decodePngNode],
  ['fflate', decodePngPortable],
] as const) {
  describe(`PNG decoding with ${inflater}`, () => {
    function decodeError(bytes: Uint8Array, options?: { maxPixels?: number }): ImageFileError {
      try {
        decodePng(bytes, 'scan.png', options);
      } catch (error) {
        expect(error).toBeInstanceOf(ImageFileError);
        return error as ImageFileError;
      }
      throw new Error('decodePng did not throw');
    }

    describe('decodePng: pixel values of every PNG kind', () => {
      it('keeps 8-bit gray samples as they are, as uint8', () => {
        const values = samples(7 * 5, 255);
        const image = decodePng(buildPng({ width: 7, height: 5, bitDepth: 8, colorType: 0, samples: values }), 'g8.png');
        expect(image.width).toBe(7);
        expect(image.height).toBe(5);
        expect(image.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(image.data)).toEqual(values);
      });

      it.each([
        [1, 255],
        [2, 85],
        [4, 17],
      ] as const)('scales %i-bit gray to 0..255 (x %i), as Pillow does', (bitDepth, factor) => {
        // 13 columns so that rows end in a partly used byte.
        const values = samples(13 * 3, 2 ** bitDepth - 1, bitDepth);
        const image = decodePng(buildPng({ width: 13, height: 3, bitDepth, colorType: 0, samples: values }), 'low.png');
        expect(image.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(image.data)).toEqual(values.map((v) => v * factor));
      });

      it('keeps 16-bit gray as uint16 with every bit', () => {
        const values = [0, 1, 255, 256, 4095, 32768, 65534, 65535, ...samples(12, 65535)];
        const image = decodePng(buildPng({ width: 5, height: 4, bitDepth: 16, colorType: 0, samples: values }), 'g16.png');
        expect(image.data).toBeInstanceOf(Uint16Array);
        expect(Array.from(image.data)).toEqual(values);
      });

      it('drops the alpha of 8-bit and 16-bit gray+alpha without compositing', () => {
        const gray = samples(6, 255, 3);
        const alpha = [0, 0, 128, 255, 1, 0];
        const image = decodePng(
          buildPng({ width: 3, height: 2, bitDepth: 8, colorType: 4, samples: gray.flatMap((g, i) => [g, alpha[i]]) }),
          'ga8.png',
        );
        expect(Array.from(image.data)).toEqual(gray);
        const gray16 = samples(6, 65535, 4);
        const image16 = decodePng(
          buildPng({ width: 3, height: 2, bitDepth: 16, colorType: 4, samples: gray16.flatMap((g) => [g, 0]) }),
          'ga16.png',
        );
        expect(image16.data).toBeInstanceOf(Uint16Array);
        expect(Array.from(image16.data)).toEqual(gray16);
      });

      it("converts 8-bit RGB to gray exactly as Pillow's convert('L')", () => {
        const image = decodePng(buildPng({ width: n, height: 1, bitDepth: 8, colorType: 2, samples: oracle.rgb.flat() }), 'rgb.png');
        expect(image.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(image.data)).toEqual(oracle.luma);
      });

      it("converts 8-bit RGBA to gray exactly as Pillow's convert('L'), ignoring alpha", () => {
        const rgba = oracle.rgb.flatMap((c, i) => [...c, oracle.alpha[i]]);
        const image = decodePng(buildPng({ width: n, height: 1, bitDepth: 8, colorType: 6, samples: rgba }), 'rgba.png');
        expect(Array.from(image.data)).toEqual(oracle.luma);
      });

      it.each([1, 2, 4, 8] as const)("converts a %i-bit palette image through its colours' Pillow luma", (bitDepth) => {
        const size = Math.min(2 ** bitDepth, n);
        const palette = oracle.rgb.slice(0, size);
        const indices = samples(size * 3, size - 1, bitDepth);
        const image = decodePng(buildPng({ width: size, height: 3, bitDepth, colorType: 3, palette, samples: indices }), 'pal.png');
        expect(image.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(image.data)).toEqual(indices.map((i) => oracle.luma[i]));
      });

      it('ignores tRNS: a gray value marked transparent keeps its value (pngjs alone would zero it)', () => {
        const values = [7, 200, 7, 0];
        const image = decodePng(
          buildPng({ width: 2, height: 2, bitDepth: 8, colorType: 0, samples: values, trns: Uint8Array.of(0, 7) }),
          'trns.png',
        );
        expect(Array.from(image.data)).toEqual(values);
      });

      it('ignores palette transparency too', () => {
        const palette = oracle.rgb.slice(0, 4);
        const image = decodePng(
          buildPng({ width: 4, height: 1, bitDepth: 8, colorType: 3, palette, samples: [0, 1, 2, 3], trns: Uint8Array.of(0, 0, 0, 0) }),
          'ptrns.png',
        );
        expect(Array.from(image.data)).toEqual(oracle.luma.slice(0, 4));
      });

      it('converts 16-bit RGB to uint16 with the same luma formula on 16-bit samples', () => {
        // An 8-bit colour c stored as 16-bit c * 257 must give Pillow's 8-bit luma * 257 within rounding:
        // the formula is linear, so floor((sum * 257 + 32768) / 65536) lies within 1 of 257 * luma.
        const rgb16 = oracle.rgb.flat().map((v) => v * 257);
        const image = decodePng(buildPng({ width: n, height: 1, bitDepth: 16, colorType: 2, samples: rgb16 }), 'rgb16.png');
        expect(image.data).toBeInstanceOf(Uint16Array);
        Array.from(image.data).forEach((v, i) => expect(Math.abs(v - oracle.luma[i] * 257)).toBeLessThanOrEqual(257));
        // Gray colours (r = g = b) map to themselves exactly: the weights sum to 65536.
        const grays = [0, 1, 12345, 65535];
        const gray = decodePng(buildPng({ width: 4, height: 1, bitDepth: 16, colorType: 6, samples: grays.flatMap((v) => [v, v, v, 9]) }), 'g.png');
        expect(Array.from(gray.data)).toEqual(grays);
      });

      it.each([
        [1, 0],
        [4, 0],
        [8, 0],
        [16, 0],
        [8, 2],
        [8, 3],
      ] as const)('decodes an interlaced %i-bit colour-type-%i image to the same pixels as the plain one', (bitDepth, colorType) => {
        // 11x9 exercises every Adam7 pass with partial blocks.
        const channels = colorType === 2 ? 3 : 1;
        const max = colorType === 3 ? 15 : 2 ** bitDepth - 1;
        const spec = {
          width: 11,
          height: 9,
          bitDepth,
          colorType,
          samples: samples(11 * 9 * channels, max, 11),
          palette: colorType === 3 ? oracle.rgb.slice(0, 16) : undefined,
        };
        const plain = decodePng(buildPng(spec), 'plain.png');
        const interlaced = decodePng(buildPng({ ...spec, interlaced: true }), 'adam7.png');
        expect(Array.from(interlaced.data)).toEqual(Array.from(plain.data));
      });

      it('undoes every row filter (None, Sub, Up, Average, Paeth and per-row adaptive) in 8-bit and 16-bit gray', () => {
        // pngjs writes the filtered files; its own decoder (RGBA out) is the reference.
        const width = 9;
        const height = 6;
        for (const bitDepth of [8, 16] as const) {
          const max = 2 ** bitDepth - 1;
          const values = samples(width * height, max, bitDepth);
          const input = bitDepth === 8 ? Buffer.from(values) : Buffer.from(Uint16Array.from(values).buffer);
          for (const filterType of [0, 1, 2, 3, 4, -1]) {
            const png = new PNG();
            Object.assign(png, { width, height, data: input });
            const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth, filterType });
            const reference = PNG.sync.read(bytes, { skipRescale: true }).data;
            const expected = Array.from({ length: width * height }, (_, i) => reference[4 * i]);
            expect(expected).toEqual(values);
            expect(Array.from(decodePng(bytes, 'f.png').data)).toEqual(expected);
          }
        }
      });

      it.skipIf(!existsSync(sample001))(`decodes the ChestX-ray8 sample 00000011_001.png as pngjs does (skipped without ${sampleDir})`, () => {
        const bytes = readFileSync(sample001);
        const image = decodePng(bytes, sample001);
        const reference = PNG.sync.read(bytes).data;
        expect(image.width * image.height).toBe(1024 * 1024);
        expect(image.data.every((v, i) => v === reference[4 * i])).toBe(true);
      });
    });

    describe('encodePng', () => {
      it('round-trips 8-bit gray through decodePng', () => {
        const data = Uint8Array.from(samples(31 * 17, 255, 8));
        const bytes = encodePng({ width: 31, height: 17, data });
        expect(readPngHeader(bytes, 'out.png')).toEqual({ width: 31, height: 17, bitDepth: 8, colorType: 0, interlaced: false });
        expect(decodePng(bytes, 'out.png').data).toEqual(data);
      });

      it('round-trips 16-bit gray through decodePng, also from a view into a larger buffer', () => {
        const backing = Uint16Array.from(samples(1 + 12 * 10, 65535, 9));
        const data = backing.subarray(1);
        const bytes = encodePng({ width: 12, height: 10, data }, { level: 1 });
        expect(readPngHeader(bytes, 'out.png').bitDepth).toBe(16);
        expect(decodePng(bytes, 'out.png').data).toEqual(data);
      });

      it('writes RGBA that pngjs reads back unchanged', () => {
        const rgba = Uint8Array.from(samples(5 * 3 * 4, 255, 10));
        const bytes = encodePngRgba(5, 3, rgba);
        const back = PNG.sync.read(Buffer.from(bytes));
        expect(back.colorType).toBe(6);
        expect(new Uint8Array(back.data)).toEqual(rgba);
      });

      it('rejects data whose length does not match the size, and a bad level', () => {
        expect(() => encodePng({ width: 3, height: 3, data: new Uint8Array(8) })).toThrow('PNG data has 8 values, expected 3x3x1 = 9');
        expect(() => encodePngRgba(2, 2, new Uint8Array(15))).toThrow('expected 2x2x4 = 16');
        expect(() => encodePng({ width: 1, height: 1, data: new Uint8Array(1) }, { level: 10 })).toThrow('integer 0..9, got 10');
      });
    });

    describe('decodePng: errors name the file and say what is wrong', () => {
      const good = buildPng({ width: 8, height: 8, bitDepth: 8, colorType: 0, samples: samples(64, 255) });

      it('rejects a file that is not a PNG', () => {
        const error = decodeError(new TextEncoder().encode('GIF89a not a png at all'));
        expect(error.message).toBe('scan.png: not a PNG file (bad signature)');
        expect(error.path).toBe('scan.png');
        expect(decodeError(new Uint8Array(0)).message).toBe('scan.png: not a PNG file (the file is empty)');
      });

      it('rejects a file cut inside IDAT as truncated', () => {
        expect(decodeError(good.subarray(0, good.length - 20)).message).toMatch(/^scan\.png: truncated: chunk IDAT at byte \d+ declares \d+ data bytes/);
      });

      it('rejects a file that ends before IEND', () => {
        expect(decodeError(good.subarray(0, good.length - 12)).message).toMatch(/truncated: the file ends after \d+ bytes, before the IEND chunk/);
      });

      it('rejects a corrupted IDAT byte with a CRC mismatch naming the chunk', () => {
        const bad = good.slice();
        bad[8 + 25 + 8 + 3] ^= 0xff; // a byte inside IDAT's data (signature, IHDR, IDAT header)
        expect(decodeError(bad).message).toMatch(/^scan\.png: CRC mismatch in chunk IDAT at byte 33 \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
      });

      it('rejects IDAT that is not zlib data (with a valid CRC)', () => {
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', Uint8Array.of(1, 2, 3, 4, 5, 6)), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toMatch(/^scan\.png: bad zlib data in IDAT \(/);
      });

      it('rejects a zlib stream that ends early', () => {
        const full = deflateSync(new Uint8Array(5 * 4));
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', full.subarray(0, full.length - 6)), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe('scan.png: truncated image data: the compressed IDAT stream ends early');
      });

      it('rejects a stream whose Adler-32 does not match its data (fflate alone would not check it)', () => {
        const zlib = deflateSync(new Uint8Array(20)).slice();
        zlib[zlib.length - 1] ^= 1;
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', zlib), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe('scan.png: bad zlib data in IDAT (incorrect data check)');
      });

      it('rejects image data shorter than the header says', () => {
        // 4x4 gray 8-bit needs 4 rows of 1 filter byte + 4 samples = 20 bytes; give it 15.
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', deflateSync(new Uint8Array(15))), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe('scan.png: image data holds 15 bytes once inflated, but a 4x4 image of this kind needs 20');
      });

      it('rejects image data longer than the header allows', () => {
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', deflateSync(new Uint8Array(21))), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe(
          'scan.png: image data inflates to more bytes than the IHDR size allows (corrupt or malicious file)',
        );
      });

      it('rejects an unknown row filter type', () => {
        const rows = new Uint8Array(20);
        rows[5] = 7; // second row's filter byte
        const bytes = concat([PNG_SIGNATURE, ihdr(4, 4, 8, 0), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe('scan.png: bad row filter type 7 (PNG defines 0 to 4)');
      });

      it('rejects zero width and zero height', () => {
        const file = (w: number, h: number) => concat([PNG_SIGNATURE, ihdr(w, h, 8, 0), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(file(0, 5)).message).toBe('scan.png: zero width in IHDR (a PNG must be at least 1x1)');
        expect(decodeError(file(5, 0)).message).toBe('scan.png: zero height in IHDR (a PNG must be at least 1x1)');
      });

      it('refuses a 100000x100000 header at once, naming the limit and how to raise it', () => {
        // Only the header exists: if the decoder tried to allocate or inflate, this would fail differently.
        const bytes = concat([PNG_SIGNATURE, ihdr(100_000, 100_000, 8, 0), chunk('IDAT', deflateSync(new Uint8Array(10)))]);
        const before = process.memoryUsage().arrayBuffers;
        const start = performance.now();
        const error = decodeError(bytes);
        expect(performance.now() - start).toBeLessThan(50);
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
        expect(error.message).toBe(
          'scan.png: image is 100000x100000 = 10000000000 pixels, more than the limit of 268435456; ' +
            'raise it with the maxPixels option (--max-pixels on the command line) if the file is genuine',
        );
        expect(decodeError(good, { maxPixels: 63 }).message).toMatch(/8x8 = 64 pixels, more than the limit of 63/);
        expect(decodePng(good, 'ok.png', { maxPixels: 64 }).width).toBe(8);
      });

      it('rejects a missing IHDR, a missing IDAT and a missing PLTE', () => {
        const noIhdr = concat([PNG_SIGNATURE, chunk('IDAT', deflateSync(new Uint8Array(2))), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(noIhdr).message).toBe('scan.png: missing IHDR chunk (the first chunk is IDAT)');
        const noIdat = concat([PNG_SIGNATURE, ihdr(1, 1, 8, 0), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(noIdat).message).toBe('scan.png: no IDAT chunk (the file holds no image data)');
        const noPlte = concat([PNG_SIGNATURE, ihdr(1, 1, 8, 3), chunk('IDAT', deflateSync(new Uint8Array(2))), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(noPlte).message).toBe('scan.png: palette image (colour type 3) without a PLTE chunk');
      });

      it('rejects illegal IHDR fields, stating what PNG allows', () => {
        const file = (depth: number, colorType: number) => concat([PNG_SIGNATURE, ihdr(2, 2, depth, colorType), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(file(4, 2)).message).toBe('scan.png: bit depth 4 is not allowed for colour type 2 (allowed: 8, 16)');
        expect(decodeError(file(8, 5)).message).toBe('scan.png: unknown colour type 5 in IHDR (PNG allows 0, 2, 3, 4, 6)');
      });

      it('rejects a palette index beyond the palette', () => {
        const bytes = buildPng({ width: 3, height: 1, bitDepth: 8, colorType: 3, palette: oracle.rgb.slice(0, 2), samples: [0, 1, 5] });
        expect(decodeError(bytes).message).toBe('scan.png: index 5 not in palette (the PLTE chunk has fewer entries)');
      });

      it('rejects interlaced data that inflates beyond the size the header implies', () => {
        const bytes = concat([PNG_SIGNATURE, ihdr(2, 2, 8, 0, true), chunk('IDAT', deflateSync(new Uint8Array(1 << 16))), chunk('IEND', new Uint8Array(0))]);
        expect(decodeError(bytes).message).toBe(
          'scan.png: image data inflates to more bytes than the IHDR size allows (corrupt or malicious file)',
        );
      });
    });
  });
}

describe('8-bit gray unfiltering in WebAssembly (src/wasm/png-unfilter.wat)', () => {
  it('gives the scalar loops\' pixels and pngjs\'s for every filter type, in every row, on and off the vector width', () => {
    for (const width of [1, 2, 15, 16, 17, 37, 100]) {
      const height = 11;
      // Arbitrary filtered bytes are valid image data; each filter type falls on row 0 for some width.
      const raw = Uint8Array.from(samples(height * (width + 1), 255, width));
      for (let y = 0; y < height; y++) raw[y * (width + 1)] = (y * 3 + width) % 5;
      const bytes = concat([PNG_SIGNATURE, ihdr(width, height, 8, 0), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
      const reference = PNG.sync.read(Buffer.from(bytes), { skipRescale: true }).data;
      const expected = Array.from({ length: width * height }, (_, i) => reference[4 * i]);
      const simd = decodePngNode(bytes, 'f.png');
      setCpuSimd(false);
      let scalar;
      try {
        scalar = decodePngNode(bytes, 'f.png');
      } finally {
        setCpuSimd(true);
      }
      expect(Array.from(simd.data), `width ${width}`).toEqual(expected);
      expect(Array.from(scalar.data), `width ${width}`).toEqual(expected);
    }
  });

  it('names the first bad row filter type, as the scalar loops do', () => {
    const raw = new Uint8Array(4 * 33);
    raw[2 * 33] = 9;
    const bytes = concat([PNG_SIGNATURE, ihdr(32, 4, 8, 0), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
    expect(() => decodePngNode(bytes, 'bad.png')).toThrow('bad.png: bad row filter type 9 (PNG defines 0 to 4)');
    setCpuSimd(false);
    try {
      expect(() => decodePngNode(bytes, 'bad.png')).toThrow('bad.png: bad row filter type 9 (PNG defines 0 to 4)');
    } finally {
      setCpuSimd(true);
    }
  });
});
