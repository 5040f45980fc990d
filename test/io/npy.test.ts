/** The .npy codec: NumPy-written files byte for byte, round trips per dtype, and every bad input by message. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PixelArray } from '../../src/image.js';
import { readNpyFile, writeNpyFile } from '../../src/io/npy-file.js';
import { decodeNpy, encodeNpy, npyToImage } from '../../src/io/npy.js';
import { GOLDEN_DIR } from '../helpers/golden.js';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A .npy file assembled by hand: version, header dict and data bytes. */
function npyBytes(dict: string, data: Uint8Array, major = 1): Uint8Array {
  const lengthBytes = major === 1 ? [dict.length & 0xff, dict.length >> 8] : [dict.length & 0xff, dict.length >> 8, 0, 0];
  return Uint8Array.from([0x93, ...ascii('NUMPY'), major, 0, ...lengthBytes, ...ascii(dict), ...data]);
}

describe('.npy codec', () => {
  it('decodes files written by numpy.save and re-encodes them byte for byte', () => {
    for (const name of ['inputs/uint8_37x53.npy', 'inputs/random_5x3.npy', 'inputs/random_7x1.npy']) {
      const bytes = new Uint8Array(readFileSync(join(GOLDEN_DIR, name)));
      const array = decodeNpy(bytes, name);
      expect(array.shape.length).toBe(2);
      expect(encodeNpy(array.shape, array.data)).toEqual(bytes);
    }
    const uint8 = decodeNpy(new Uint8Array(readFileSync(join(GOLDEN_DIR, 'inputs/uint8_37x53.npy'))));
    expect(uint8.dtype).toBe('uint8');
    expect(uint8.shape).toEqual([37, 53]);
  });

  const samples: [string, PixelArray][] = [
    ['uint8', Uint8Array.from([0, 1, 127, 255, 3, 9])],
    ['uint16', Uint16Array.from([0, 1, 65535, 256, 3, 4097])],
    ['float32', Float32Array.from([0, -1.5, 3.25e-20, Infinity, NaN, 1 / 3])],
    ['float64', Float64Array.from([0, -1.5, 5e-324, -Infinity, NaN, 1 / 3])],
  ];
  for (const [dtype, data] of samples) {
    it(`round-trips ${dtype} with its dtype, shape and every bit of its values`, () => {
      const bytes = encodeNpy([2, 3], data);
      expect((10 + (bytes[8] | (bytes[9] << 8))) % 64).toBe(0); // data starts 64-byte aligned, as NumPy writes
      const back = decodeNpy(bytes);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([2, 3]);
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    });
  }

  it('reads 1-D and 3-D shapes, version 2.0 headers and unaligned data', () => {
    const one = npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }\n", Uint8Array.from([4, 5, 6]));
    expect(decodeNpy(one)).toEqual({ shape: [3], dtype: 'uint8', data: Uint8Array.from([4, 5, 6]) });
    const f8 = new Uint8Array(Float64Array.from([1.5, -2]).buffer);
    const three = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 1), }\n", f8, 2);
    expect(decodeNpy(three)).toEqual({ shape: [1, 2, 1], dtype: 'float64', data: Float64Array.from([1.5, -2]) });
  });

  it('turns a 2-D array into an image and rejects other ranks by name', () => {
    const image = npyToImage(decodeNpy(encodeNpy([2, 3], new Uint8Array(6))));
    expect([image.width, image.height]).toEqual([3, 2]);
    const line = decodeNpy(encodeNpy([6], new Uint8Array(6)));
    expect(() => npyToImage(line, 'line.npy')).toThrow('line.npy: expected a 2-D array [height, width], got shape (6)');
  });

  it('names the file and the problem for every kind of bad input', () => {
    const dict = (descr: string, fortran = 'False', shape = '(2, 2)') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;
    expect(() => decodeNpy(ascii('PNG not npy at all'), 'a.npy')).toThrow('a.npy: not a .npy file: the first bytes are not the magic');
    expect(() => decodeNpy(npyBytes(dict('<c16'), new Uint8Array(64)), 'c.npy')).toThrow("c.npy: unsupported dtype '<c16'");
    expect(() => decodeNpy(npyBytes(dict('>f8'), new Uint8Array(32)), 'b.npy')).toThrow("b.npy: unsupported dtype '>f8'");
    expect(() => decodeNpy(npyBytes(dict('<f8', 'True'), new Uint8Array(32)), 'f.npy')).toThrow('f.npy: fortran_order True is not supported');
    expect(() => decodeNpy(npyBytes(dict('<f8'), new Uint8Array(31)), 't.npy')).toThrow(
      't.npy: truncated data: shape (2, 2) of <f8 needs 32 bytes but 31 remain',
    );
    expect(() => decodeNpy(npyBytes("{'descr': '<f8'}\n", new Uint8Array(8)), 'h.npy')).toThrow('h.npy: malformed header');
    expect(() => decodeNpy(npyBytes(dict('<f8', 'False', '(2, x)'), new Uint8Array(32)), 's.npy')).toThrow('s.npy: malformed shape (2, x)');
    const v3 = npyBytes(dict('<f8'), new Uint8Array(32));
    v3[6] = 3;
    expect(() => decodeNpy(v3, 'v.npy')).toThrow('v.npy: unsupported .npy version 3.0 (supported: 1.0, 2.0)');
    const cut = encodeNpy([2, 2], new Float64Array(4)).subarray(0, 40);
    expect(() => decodeNpy(cut, 'cut.npy')).toThrow('cut.npy: truncated: header says 118 bytes but only 30 follow');
  });

  it('refuses to encode a shape that does not match the data', () => {
    expect(() => encodeNpy([2, 2], new Uint8Array(5))).toThrow('npy shape [2, 2] holds 4 values but data has 5');
    expect(() => encodeNpy([2, -1], new Uint8Array(0))).toThrow('npy shape must be non-negative integers, got [2, -1]');
  });
});

describe('.npy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xray-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes atomically (no temporary file left behind) and reads back what was written', async () => {
    const path = join(dir, 'out.npy');
    await writeNpyFile(path, [2, 2], Float32Array.from([1, 2, 3, 4.5]));
    await writeNpyFile(path, [1, 3], Uint16Array.from([7, 8, 9])); // replaces the first file
    expect(readdirSync(dir)).toEqual(['out.npy']);
    expect(await readNpyFile(path)).toEqual({ shape: [1, 3], dtype: 'uint16', data: Uint16Array.from([7, 8, 9]) });
  });

  it('names the path when a file cannot be read or written, keeping the cause', async () => {
    const missing = join(dir, 'missing.npy');
    await expect(readNpyFile(missing)).rejects.toThrow(`cannot read ${missing}`);
    await expect(readNpyFile(missing)).rejects.toHaveProperty('cause.code', 'ENOENT');
    const badDir = join(dir, 'no-such-dir', 'x.npy');
    await expect(writeNpyFile(badDir, [1], new Uint8Array(1))).rejects.toThrow(`cannot write ${badDir}`);
  });
});
