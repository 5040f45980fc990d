import { describe, expect, it } from 'vitest';
import { comparisonFigure, stripFigure } from '../../src/render/figure.js';
import { imageFrom } from '../../src/image.js';
import type { RgbaImage } from '../../src/render/rgba-image.js';
import { countPixels, decodePng, isDark, isWhite, pixel, whole } from './png-helpers.js';

/** A solid-colour RGBA image. */
function solid(width: number, height: number, rgb: [number, number, number]): RgbaImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([...rgb, 255], i * 4);
  return { width, height, rgba };
}

const red = solid(64, 64, [220, 20, 20]);
const green = solid(64, 32, [20, 200, 20]);
const gray = imageFrom(40, 40, new Uint8Array(1600).fill(128));

describe('comparisonFigure', () => {
  it('lays panels out in a grid of the requested panel size on a white background', () => {
    const figure = decodePng(comparisonFigure([{ title: 'a', image: red }, { title: 'b', image: green }], { panelSize: 100 }));
    // Two 100-px cells, 16-px margins, a 14-px gap.
    expect(figure.width).toBe(16 + 100 + 14 + 100 + 16);
    expect(pixel(figure, 2, 2)).toEqual([255, 255, 255, 255]);
    const imageTop = figure.height - 16 - 100;
    expect(pixel(figure, 16 + 50, imageTop + 50)).toEqual([220, 20, 20, 255]);
    // The 64x32 green image keeps its aspect: 100x50, centred horizontally in its cell, at the row top.
    expect(pixel(figure, 130 + 50, imageTop + 25)).toEqual([20, 200, 20, 255]);
    expect(isWhite(...(pixel(figure, 130 + 50, imageTop + 75) as [number, number, number]))).toBe(true);
  });

  it('writes each title as dark text above its panel', () => {
    const figure = decodePng(comparisonFigure([{ title: 'Gaussian laplace', image: red }, { title: '', image: red }], { panelSize: 120 }));
    const imageTop = figure.height - 16 - 120;
    const titleBand = (left: number) => ({ x0: left, y0: 16, x1: left + 120, y1: imageTop });
    expect(countPixels(figure, titleBand(16), isDark)).toBeGreaterThan(40);
    expect(countPixels(figure, titleBand(16 + 120 + 14), isDark)).toBe(0);
  });

  it('shows 8-bit gray images as gray', () => {
    const figure = decodePng(comparisonFigure([{ title: 'gray', image: gray }], { panelSize: 80 }));
    expect(pixel(figure, 16 + 40, figure.height - 16 - 40)).toEqual([128, 128, 128, 255]);
  });

  it('wraps panels into rows of `columns`, 4 by default', () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ title: `p${i}`, image: red }));
    const byDefault = decodePng(comparisonFigure(five, { panelSize: 64 }));
    expect(byDefault.width).toBe(2 * 16 + 4 * 64 + 3 * 14);
    const twoColumns = decodePng(comparisonFigure(five, { panelSize: 64, columns: 2 }));
    expect(twoColumns.width).toBe(2 * 16 + 2 * 64 + 14);
    expect(twoColumns.height).toBeGreaterThan(byDefault.height + 64); // three rows instead of two
  });

  it('adds a figure title above the panels when given one', () => {
    const without = decodePng(comparisonFigure([{ title: 'x', image: red }], { panelSize: 200 }));
    const withTitle = decodePng(comparisonFigure([{ title: 'x', image: red }], { panelSize: 200, title: 'Follow-up 3' }));
    expect(withTitle.height).toBeGreaterThan(without.height);
    expect(countPixels(withTitle, { x0: 0, y0: 0, x1: withTitle.width, y1: 40 }, isDark)).toBeGreaterThan(40);
  });

  it('wraps a long title onto two lines and keeps it within its cell', () => {
    const long = 'Gaussian gradient magnitude with sigma equal to two and a very long explanation that goes on';
    const figure = decodePng(comparisonFigure([{ title: long, image: red }, { title: 'b', image: red }], { panelSize: 150 }));
    const gapColumn = { x0: 16 + 150 + 1, y0: 0, x1: 16 + 150 + 13, y1: figure.height };
    expect(countPixels(figure, gapColumn, isDark)).toBe(0);
    expect(countPixels(figure, whole(figure), isDark)).toBeGreaterThan(200);
  });

  it('rejects no panels, bad sizes, bad columns and mis-sized images, naming the value', () => {
    expect(() => comparisonFigure([])).toThrow('a comparison figure needs at least one panel, got 0');
    expect(() => comparisonFigure([{ title: 'a', image: red }], { panelSize: 10 })).toThrow(
      'comparison figure panelSize must be an integer from 32 to 2048 pixels, got 10',
    );
    expect(() => comparisonFigure([{ title: 'a', image: red }], { columns: 0 })).toThrow('columns must be a positive integer, got 0');
    const broken = { width: 4, height: 4, rgba: new Uint8Array(10) };
    expect(() => comparisonFigure([{ title: 'bad', image: broken }])).toThrow('panel 0 ("bad") has 10 RGBA bytes, expected 4x4x4 = 64');
  });
});

describe('stripFigure', () => {
  it('puts the frames side by side in one row, each under its name', () => {
    const frames = [gray, gray, gray];
    const strip = decodePng(stripFigure(frames, ['000.png', '001.png', '002.png'], { frameSize: 96 }));
    expect(strip.width).toBe(2 * 16 + 3 * 96 + 2 * 14);
    const imageTop = strip.height - 16 - 96;
    for (let i = 0; i < 3; i++) {
      const left = 16 + i * (96 + 14);
      expect(pixel(strip, left + 48, imageTop + 48)).toEqual([128, 128, 128, 255]);
      expect(countPixels(strip, { x0: left, y0: 0, x1: left + 96, y1: imageTop }, isDark)).toBeGreaterThan(30);
    }
  });

  it('adds a title over the strip when given one', () => {
    const plain = decodePng(stripFigure([gray], ['a'], { frameSize: 96 }));
    const titled = decodePng(stripFigure([gray], ['a'], { frameSize: 96, title: 'Patient 11' }));
    expect(titled.height).toBeGreaterThan(plain.height);
    expect(countPixels(titled, { x0: 0, y0: 0, x1: titled.width, y1: 40 }, isDark)).toBeGreaterThan(40);
  });

  it('rejects a title count that differs from the frame count', () => {
    expect(() => stripFigure([gray, gray], ['only one'])).toThrow('a strip figure needs one title per frame, got 1 titles for 2 frames');
    expect(() => stripFigure([], [])).toThrow('a strip figure needs at least one frame, got 0');
    expect(() => stripFigure([gray], ['a'], { frameSize: 5000 })).toThrow('strip figure frameSize must be an integer from 32 to 2048 pixels, got 5000');
  });
});
