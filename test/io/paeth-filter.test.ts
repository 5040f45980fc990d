/**
 * The Paeth filter in WebAssembly SIMD against the scalar one, byte for byte, on sizes on and off the
 * kernel's 16-pixel blocks, and on values that exercise every predictor choice and tie; plus the
 * PNG spec's definition on a small image, so that both cannot be wrong together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { paethFilterGray8, paethFilterScalar } from '../../src/io/paeth-filter.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';

function image(width: number, height: number, seed: number, levels = 256): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: width * height }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 24) % levels;
  });
}

/** The spec's PaethPredictor, with out-of-image neighbours 0. */
function specFilter(data: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array((width + 1) * height);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : data[y * width + x]);
  for (let y = 0; y < height; y++) {
    out[y * (width + 1)] = 4;
    for (let x = 0; x < width; x++) {
      const [a, b, c] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * (width + 1) + 1 + x] = (at(x, y) - predictor) & 255;
    }
  }
  return out;
}

describe('paethFilterGray8', () => {
  afterEach(() => setCpuSimd(true));

  it('follows the PNG spec (scalar and SIMD)', () => {
    const data = image(37, 5, 7);
    expect(paethFilterScalar(data, 37, 5)).toEqual(specFilter(data, 37, 5));
    expect(paethFilterGray8(data, 37, 5)).toEqual(specFilter(data, 37, 5));
  });

  it('gives the scalar filter byte for byte on every size, full range and few levels (ties)', () => {
    const sizes = [[1, 1], [1, 7], [7, 1], [16, 2], [17, 3], [31, 4], [33, 33], [37, 53], [1024, 3]] as const;
    for (const [width, height] of sizes) {
      for (const levels of [256, 3]) {
        const data = image(width, height, width * 7 + height + levels, levels);
        expect(paethFilterGray8(data, width, height), `${width}x${height}, ${levels} levels`).toEqual(paethFilterScalar(data, width, height));
      }
    }
  });

  it('runs the scalar filter when SIMD is switched off, and reuses its memory across sizes', () => {
    const wide = image(300, 9, 1);
    const small = image(3, 2, 2);
    const simd = [paethFilterGray8(wide, 300, 9), paethFilterGray8(small, 3, 2)];
    setCpuSimd(false);
    expect([paethFilterGray8(wide, 300, 9), paethFilterGray8(small, 3, 2)]).toEqual(simd);
  });
});
