import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES, applyColormap, colormapImage, colormapLut } from '../../src/render/colormap.js';
import { imageFrom } from '../../src/image.js';

/** matplotlib's output for sample values, from scripts/make_colormaps.py. */
interface Golden {
  values: (number | null)[];
  raw: number[];
  explicit: { vmin: number; vmax: number };
  cases: Record<string, { values: string; rawDefault: string; rawExplicit: string }>;
}
const golden = JSON.parse(
  readFileSync(new URL('../golden/colormaps/colormaps.json', import.meta.url), 'utf8'),
) as Golden;
const values = golden.values.map((v) => (v === null ? NaN : v));
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

/** The largest per-channel difference between two RGBA byte arrays of equal length. */
function maxChannelDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('colormaps', () => {
  it('offers exactly the colormaps the golden fixture was made from', () => {
    expect([...COLORMAP_NAMES].sort()).toEqual(Object.keys(golden.cases).sort());
  });

  describe.each(COLORMAP_NAMES)('%s', (name) => {
    const expected = golden.cases[name];

    it('colours normalised values (LUT boundaries, between entries, out of range, NaN) as matplotlib cmap(x, bytes=True)', () => {
      const rgba = applyColormap(values, name, { vmin: 0, vmax: 1 });
      expect(maxChannelDiff(rgba, bytes(expected.values))).toBeLessThanOrEqual(1);
    });

    it('normalises raw data to its own min and max by default, as Normalize() does', () => {
      expect(maxChannelDiff(applyColormap(golden.raw, name), bytes(expected.rawDefault))).toBeLessThanOrEqual(1);
    });

    it('normalises raw data to an explicit vmin/vmax, clipping to the end colours outside it', () => {
      const rgba = applyColormap(golden.raw, name, golden.explicit);
      expect(maxChannelDiff(rgba, bytes(expected.rawExplicit))).toBeLessThanOrEqual(1);
    });

    it('exposes its table as 256 RGBA entries equal to the colours of 0, 1/255, ..., 1', () => {
      const lut = colormapLut(name);
      expect(lut).toBeInstanceOf(Uint8Array);
      expect(lut.length).toBe(256 * 4);
      const ramp = Array.from({ length: 256 }, (_, i) => i / 255);
      expect(applyColormap(ramp, name)).toEqual(lut);
    });
  });

  it('matches matplotlib exactly, not only within one level, for float64 data', () => {
    for (const name of COLORMAP_NAMES) {
      expect(maxChannelDiff(applyColormap(values, name, { vmin: 0, vmax: 1 }), bytes(golden.cases[name].values))).toBe(0);
    }
  });

  it('returns a copy of the table, so changing it does not change later colours', () => {
    const lut = colormapLut('viridis');
    lut.fill(7);
    expect(colormapLut('viridis')[0]).not.toBe(7);
    expect(applyColormap([0, 1], 'viridis').subarray(0, 4)).toEqual(colormapLut('viridis').subarray(0, 4));
  });

  it('maps a constant image to the first colour, as Normalize does when vmin == vmax', () => {
    const rgba = applyColormap([5, 5, 5], 'hot');
    const first = colormapLut('hot').subarray(0, 4);
    for (let i = 0; i < 3; i++) expect(rgba.subarray(i * 4, i * 4 + 4)).toEqual(first);
  });

  it('leaves NaN and infinities transparent and out of the default range', () => {
    const rgba = applyColormap([0, NaN, Infinity, 10, -Infinity], 'viridis');
    expect(Array.from(rgba.subarray(4, 12))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(rgba.subarray(12, 16)).toEqual(colormapLut('viridis').subarray(255 * 4));
  });

  it('uses the given vmin with the data max when only vmin is given', () => {
    const rgba = applyColormap([0, 50, 100], 'gray', { vmin: 50 });
    const lut = colormapLut('gray');
    expect(rgba.subarray(0, 4)).toEqual(lut.subarray(0, 4)); // below vmin: under colour
    expect(rgba.subarray(8, 12)).toEqual(lut.subarray(255 * 4));
  });

  it('colours an Image2D into an RgbaImage of the same size', () => {
    const image = imageFrom(2, 1, Float64Array.of(0, 1));
    const out = colormapImage(image, 'magma');
    expect(out.width).toBe(2);
    expect(out.height).toBe(1);
    expect(out.rgba).toEqual(applyColormap([0, 1], 'magma'));
  });

  it('rejects an unknown colormap name, and a matplotlib one not loaded yet, saying what to do', () => {
    expect(() => applyColormap([0], 'jett')).toThrow('unknown colormap "jett"; accepted: matplotlib 3.6\'s colormap names (MATPLOTLIB_COLORMAP_NAMES), e.g. gray, hot, CMRmap');
    expect(() => colormapLut('Gray')).toThrow(/unknown colormap "Gray"/);
    expect(() => applyColormap([0], 'pink')).toThrow('colormap "pink" is not loaded: await loadColormap("pink") first (built in: gray, hot, CMRmap');
  });

  it('rejects vmin > vmax and non-finite bounds, naming the values', () => {
    expect(() => applyColormap([0], 'gray', { vmin: 2, vmax: 1 })).toThrow('colormap vmin must be <= vmax, got vmin 2 > vmax 1');
    expect(() => applyColormap([0], 'gray', { vmax: NaN })).toThrow('colormap vmax must be a finite number, got NaN');
  });
});
