/**
 * The Paeth filter in WebAssembly SIMD against the scalar one, byte for byte, for gray (1 byte per
 * pixel) and RGBA (4), on sizes on and off the kernel's 16-byte blocks and on values that exercise
 * every predictor choice and tie; plus the PNG spec's definition, so that both cannot be wrong together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { paethFilter, paethFilterScalar } from '../../src/io/paeth-filter.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';

function image(length: number, seed: number, levels = 256): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 24) % levels;
  });
}

/** The spec's PaethPredictor on bytes, with the byte bpp to the left and the row above, 0 outside. */
function specFilter(data: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const rowBytes = width * bpp;
  const out = new Uint8Array((rowBytes + 1) * height);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : data[y * rowBytes + x]);
  for (let y = 0; y < height; y++) {
    out[y * (rowBytes + 1)] = 4;
    for (let x = 0; x < rowBytes; x++) {
      const [a, b, c] = [at(x - bpp, y), at(x, y - 1), at(x - bpp, y - 1)];
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * (rowBytes + 1) + 1 + x] = (at(x, y) - predictor) & 255;
    }
  }
  return out;
}

describe('paethFilter', () => {
  afterEach(() => setCpuSimd(true));

  for (const bpp of [1, 4]) {
    it(`follows the PNG spec with ${bpp} byte(s) per pixel (scalar and SIMD)`, () => {
      const data = image(37 * 5 * bpp, 7 + bpp);
      const expected = specFilter(data, 37, 5, bpp);
      expect(paethFilterScalar(data, 37, 5, bpp)).toEqual(expected);
      expect(paethFilter(data, 37, 5, bpp)).toEqual(expected);
    });

    it(`gives the scalar filter byte for byte with ${bpp} byte(s) per pixel, every size, full range and few levels (ties)`, () => {
      const sizes = [[1, 1], [1, 7], [7, 1], [16, 2], [17, 3], [31, 4], [33, 33], [37, 53], [1024, 3]] as const;
      for (const [width, height] of sizes) {
        for (const levels of [256, 3]) {
          const data = image(width * height * bpp, width * 7 + height + levels, levels);
          expect(paethFilter(data, width, height, bpp), `${width}x${height}, ${levels} levels`).toEqual(paethFilterScalar(data, width, height, bpp));
        }
      }
    });
  }

  it('runs the scalar filter when SIMD is switched off, and reuses its memory across sizes', () => {
    const wide = image(300 * 9 * 4, 1);
    const small = image(3 * 2, 2);
    const simd = [paethFilter(wide, 300, 9, 4), paethFilter(small, 3, 2, 1)];
    setCpuSimd(false);
    expect([paethFilter(wide, 300, 9, 4), paethFilter(small, 3, 2, 1)]).toEqual(simd);
  });
});
