import { describe, expect, it } from 'vitest';
import { histogramPlot, niceTicks } from '../../src/render/histogram-plot.js';
import { countPixels, decodePng, isDark, whole, type Decoded } from './png-helpers.js';

const isBlue = (r: number, g: number, b: number) => Math.abs(r - 0x1f) < 8 && Math.abs(g - 0x77) < 8 && Math.abs(b - 0xb4) < 8;

const blueAt = (image: Decoded, x: number, y: number) => {
  const i = (y * image.width + x) * 4;
  return isBlue(image.data[i], image.data[i + 1], image.data[i + 2]);
};

/** Height in pixels of the bar colour in a pixel column (0 where there is no bar). */
function barHeight(image: Decoded, x: number): number {
  let height = 0;
  for (let y = 0; y < image.height; y++) if (blueAt(image, x, y)) height++;
  return height;
}

/** Centre columns of `bins` equal bins, from the first to the last column holding bar colour. */
function binCentres(image: Decoded, bins: number): number[] {
  const columns = Array.from({ length: image.width }, (_, x) => x).filter((x) => barHeight(image, x) > 0);
  const left = columns[0];
  const perBin = (columns[columns.length - 1] - left + 1) / bins;
  return Array.from({ length: bins }, (_, k) => Math.round(left + (k + 0.5) * perBin));
}

describe('histogramPlot', () => {
  const counts = [0, 0, 1000, 0, 0, 250, 0, 0, 0, 500];

  it('draws each bin as a bar whose height is proportional to its count, at its place on the x axis', () => {
    const plot = decodePng(histogramPlot([1000, 250, 0, 500], { min: 0, max: 4 }));
    const [tall, short, empty, half] = binCentres(plot, 4).map((x) => barHeight(plot, x));
    expect(tall / half).toBeCloseTo(2, 1);
    expect(tall / short).toBeCloseTo(4, 1);
    expect(empty).toBe(0);
  });

  it('labels the axes and ticks with dark text', () => {
    const plot = decodePng(histogramPlot(counts, { min: 0, max: 100 }));
    const belowAxis = { x0: 0, y0: plot.height - 60, x1: plot.width, y1: plot.height };
    const leftOfAxis = { x0: 0, y0: 0, x1: 60, y1: plot.height - 60 };
    expect(countPixels(plot, belowAxis, isDark)).toBeGreaterThan(200);
    expect(countPixels(plot, leftOfAxis, isDark)).toBeGreaterThan(100);
  });

  it('honours every option: title, labels, log scale, size and colour each change the picture', () => {
    const base = histogramPlot(counts, { min: 0, max: 100 });
    const variants = [
      { title: 'Histogram' },
      { xlabel: 'Level' },
      { ylabel: 'Pixels' },
      { logY: true },
      { color: '#ff0000' },
    ];
    for (const options of variants) expect(Buffer.from(histogramPlot(counts, { min: 0, max: 100 }, options)).equals(Buffer.from(base))).toBe(false);
    const sized = decodePng(histogramPlot(counts, { min: 0, max: 100 }, { width: 300, height: 250 }));
    expect([sized.width, sized.height]).toEqual([300, 250]);
    const red = decodePng(histogramPlot(counts, { min: 0, max: 100 }, { color: '#ff0000' }));
    expect(countPixels(red, whole(red), (r, g, b) => r === 255 && g === 0 && b === 0)).toBeGreaterThan(1000);
  });

  it('on a log axis draws a count 10x larger one decade higher', () => {
    const plot = decodePng(histogramPlot([20, 200, 2000], { min: 0, max: 3 }, { logY: true }));
    const [low, middle, high] = binCentres(plot, 3).map((x) => barHeight(plot, x));
    expect(middle - low).toBeGreaterThan(20);
    expect(Math.abs(middle - low - (high - middle))).toBeLessThanOrEqual(1);
  });

  it('accepts explicit bin edges, uneven ones included', () => {
    const even = histogramPlot([1, 2], { min: 0, max: 2 });
    expect(Buffer.from(histogramPlot([1, 2], [0, 1, 2])).equals(Buffer.from(even))).toBe(true);
    expect(Buffer.from(histogramPlot([1, 2], [0, 1.5, 2])).equals(Buffer.from(even))).toBe(false);
  });

  it('rejects bad counts, edges, ranges and sizes, naming the value', () => {
    expect(() => histogramPlot([], { min: 0, max: 1 })).toThrow('a histogram plot needs at least one bin, got 0 counts');
    expect(() => histogramPlot([1, -2], { min: 0, max: 1 })).toThrow('histogram counts must be finite and >= 0, got -2 at bin 1');
    expect(() => histogramPlot([1, 2], [0, 1])).toThrow('histogram edges must number counts + 1 = 3, got 2');
    expect(() => histogramPlot([1, 2], [0, 2, 1])).toThrow('histogram edges must be finite and increasing, got 2 then 1 at edge 2');
    expect(() => histogramPlot([1], { min: 5, max: 5 })).toThrow('histogram range must be finite with min < max, got min 5, max 5');
    expect(() => histogramPlot([1], { min: 0, max: 1 }, { width: 50 })).toThrow('histogram plot width must be an integer from 200 to 4000 pixels, got 50');
  });
});

describe('niceTicks', () => {
  it('picks round steps that cover the range', () => {
    expect(niceTicks(0, 255, 8)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(niceTicks(0, 4950, 6)).toEqual([0, 1000, 2000, 3000, 4000]);
  });
});
