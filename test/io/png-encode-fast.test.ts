import { constants as zlibConstants } from 'node:zlib';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng, encodePngRgba } from '../../src/io/png.js';

/**
 * The file pngjs writes for 8-bit gray (or RGBA) with every row Paeth-filtered: what encodePng and
 * encodePngRgba wrote before their own writer.
 */
function pngjsReference(width: number, height: number, data: Uint8Array, level?: number, rgba = false): Buffer {
  const png = new pngjs.PNG();
  png.width = width;
  png.height = height;
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const strategy = level === undefined ? zlibConstants.Z_RLE : zlibConstants.Z_DEFAULT_STRATEGY;
  return pngjs.PNG.sync.write(png, {
    colorType: rgba ? 6 : 0,
    inputColorType: rgba ? 6 : 0,
    inputHasAlpha: rgba,
    bitDepth: 8,
    deflateLevel: level ?? 6,
    deflateStrategy: strategy,
    filterType: 4,
  });
}

/** Smooth ramps (runs, small differences) mixed with noise (every Paeth predictor gets chosen). */
function testPixels(width: number, height: number, seed: number): Uint8Array {
  const data = new Uint8Array(width * height);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state % 3 === 0 ? state >>> 24 : (i * 7 + ((i / width) | 0) * 3) & 255;
  }
  return data;
}

describe('encodePng, 8-bit gray', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [1, 9],
    [9, 1],
    [3, 5],
    [64, 33],
    [257, 40],
  ];
  for (const level of [undefined, 0, 1, 6, 9]) {
    it(`writes byte for byte the file pngjs writes with Paeth rows (level ${level ?? 'default Z_RLE'})`, () => {
      sizes.forEach(([width, height], i) => {
        const data = testPixels(width, height, i + 1);
        const bytes = encodePng({ width, height, data }, { level });
        expect(Buffer.compare(Buffer.from(bytes), pngjsReference(width, height, data, level)), `${width}x${height}`).toBe(0);
      });
    });
  }

  for (const level of [undefined, 6]) {
    it(`writes RGBA byte for byte as pngjs does with Paeth rows (level ${level ?? 'default Z_RLE'})`, () => {
      sizes.forEach(([width, height], i) => {
        const rgba = testPixels(4 * width, height, i + 11);
        const bytes = encodePngRgba(width, height, rgba, { level });
        expect(Buffer.compare(Buffer.from(bytes), pngjsReference(width, height, rgba, level, true)), `${width}x${height}`).toBe(0);
      });
    });
  }

  it('decodes back to the same pixels, extremes included', () => {
    const data = testPixels(300, 20, 7);
    data.set([0, 255, 0, 255, 255, 0], 0);
    data.set([255, 0, 255, 0, 0, 255], 300);
    const decoded = decodePng(encodePng({ width: 300, height: 20, data }), 'roundtrip.png');
    expect(decoded.data).toEqual(data);
  });

  it('refuses a compression level outside 0..9', () => {
    expect(() => encodePng({ width: 1, height: 1, data: new Uint8Array(1) }, { level: 10 })).toThrow(/0\.\.9, got 10/);
  });
});
