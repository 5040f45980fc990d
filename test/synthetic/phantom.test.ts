import { describe, expect, it } from 'vitest';
import type { Image2D } from '../../src/image.js';
import { syntheticLesions, syntheticSeries } from '../../src/synthetic/phantom.js';

/** Mean of the pixels within `radius` of (cx, cy). */
function discMean(image: Image2D<Uint8Array>, cx: number, cy: number, radius: number): number {
  let sum = 0;
  let count = 0;
  for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
    for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) {
        sum += image.data[y * image.width + x];
        count++;
      }
    }
  }
  return sum / count;
}

/** Byte-for-byte equality (vitest's deep equality is slow on large typed arrays). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((value, i) => value === b[i]);

/** Mean of a small disc centred at normalised coordinates (u across, v down). */
const patchMean = (image: Image2D<Uint8Array>, u: number, v: number) =>
  discMean(image, u * image.width, v * image.height, image.width * 0.02);

describe('syntheticSeries', () => {
  const series = syntheticSeries({ size: 256, followUps: 5, seed: 3 });

  it('returns the requested number of 8-bit square images of the requested size', () => {
    expect(series).toHaveLength(5);
    for (const frame of series) {
      expect([frame.width, frame.height]).toEqual([256, 256]);
      expect(frame.data).toBeInstanceOf(Uint8Array);
      expect(frame.data.length).toBe(256 * 256);
    }
  });

  it('defaults to nine 1024x1024 images, like the tutorial series', () => {
    const lesions = syntheticLesions();
    expect(lesions).toHaveLength(9);
    expect(lesions[8].radius).toBeCloseTo(0.038 * 1024, 9);
  });

  it('is deterministic: the same seed gives identical bytes, another seed different ones', () => {
    const again = syntheticSeries({ size: 256, followUps: 5, seed: 3 });
    again.forEach((frame, i) => expect(sameBytes(frame.data, series[i].data)).toBe(true));
    const other = syntheticSeries({ size: 256, followUps: 1, seed: 4 });
    expect(sameBytes(other[0].data, series[0].data)).toBe(false);
  });

  it('gives each visit its own noise, so consecutive images are not identical', () => {
    expect(sameBytes(series[1].data, series[0].data)).toBe(false);
  });

  it('grows the nodule: the mean in its final outline rises visit by visit', () => {
    const lesions = syntheticLesions({ size: 256, followUps: 5, seed: 3 });
    const last = lesions[4];
    const means = series.map((frame) => discMean(frame, last.x, last.y, last.radius));
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
    for (let i = 1; i < lesions.length; i++) expect(lesions[i].radius).toBeGreaterThan(lesions[i - 1].radius);
  });

  it('draws the nodule brighter than the lung around it', () => {
    const { x, y, radius } = syntheticLesions({ size: 256, followUps: 5, seed: 3 })[4];
    const frame = series[4];
    const centre = discMean(frame, x, y, radius * 0.5);
    const around = [-1, 1].map((s) => discMean(frame, x + s * radius * 1.8, y, radius * 0.4));
    for (const mean of around) expect(centre).toBeGreaterThan(mean + 20);
  });

  it('follows the X-ray convention: lungs dark, mediastinum and abdomen bright, air outside darkest', () => {
    const [frame] = series;
    const lungs = [patchMean(frame, 0.3, 0.35), patchMean(frame, 0.72, 0.35)];
    const mediastinum = patchMean(frame, 0.5, 0.5);
    const abdomen = patchMean(frame, 0.4, 0.93);
    const outside = patchMean(frame, 0.03, 0.03);
    for (const lung of lungs) {
      expect(mediastinum).toBeGreaterThan(lung + 40);
      expect(abdomen).toBeGreaterThan(lung + 40);
      expect(lung).toBeGreaterThan(outside);
    }
  });

  it('places the nodule inside a lung field for many seeds', () => {
    for (let seed = 0; seed < 12; seed++) {
      const { x, y } = syntheticLesions({ size: 128, followUps: 1, seed })[0];
      const u = x / 128;
      const v = y / 128;
      expect(Math.abs(u - 0.5)).toBeGreaterThan(0.1);
      expect(v).toBeGreaterThan(0.2);
      expect(v).toBeLessThan(0.65);
    }
  });

  it('renders a 1024x1024 image in well under a second', () => {
    const start = performance.now();
    syntheticSeries({ size: 1024, followUps: 1 });
    // Target is < 0.3 s; the bound is loose because test machines are shared.
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('rejects bad sizes, counts and seeds, naming the value', () => {
    expect(() => syntheticSeries({ size: 32 })).toThrow('synthetic image size must be an integer from 64 to 8192, got 32');
    expect(() => syntheticSeries({ size: 100.5 })).toThrow('got 100.5');
    expect(() => syntheticSeries({ followUps: 0 })).toThrow('synthetic follow-up count must be an integer from 1 to 1000, got 0');
    expect(() => syntheticSeries({ seed: -1 })).toThrow('synthetic seed must be an integer from 0 to 4294967295, got -1');
    expect(() => syntheticLesions({ seed: 1.5 })).toThrow('got 1.5');
  });
});
