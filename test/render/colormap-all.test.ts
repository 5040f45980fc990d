/**
 * Every matplotlib 3.6 colormap, `_r` included, loaded on demand: each byte table equals
 * `cmap(arange(N), bytes=True)` (SHA-256 from scripts/make_colormaps.py, test/golden/colormaps/all-luts.json),
 * a subset colours sample values exactly as matplotlib, and clipPercentile takes numpy.percentile's range.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COLORMAP_NAMES,
  MATPLOTLIB_COLORMAP_NAMES,
  applyColormap,
  colormapLut,
  displayRange,
  isColormapLoaded,
  loadColormap,
  loadColormaps,
} from '../../src/render/colormap.js';
import { imageFrom } from '../../src/image.js';
import { scaleToUint8 } from '../../src/io/image-file.js';

interface AllGolden {
  sha256: Record<string, { N: number; sha256: string }>;
  values: (number | null)[];
  raw: number[];
  explicit: { vmin: number; vmax: number };
  clipPercentile: { p: [number, number]; range: [number, number] };
  subset: Record<string, { values: string; rawExplicit: string }>;
}
const golden = JSON.parse(readFileSync(new URL('../golden/colormaps/all-luts.json', import.meta.url), 'utf8')) as AllGolden;
const values = golden.values.map((v) => (v === null ? NaN : v));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('every matplotlib colormap', () => {
  it('names exactly the colormaps matplotlib 3.6 registers, the built-in ones among them', () => {
    expect([...MATPLOTLIB_COLORMAP_NAMES].sort()).toEqual(Object.keys(golden.sha256).sort());
    expect(MATPLOTLIB_COLORMAP_NAMES).toHaveLength(166);
    for (const name of COLORMAP_NAMES) expect(MATPLOTLIB_COLORMAP_NAMES).toContain(name);
  });

  it('loads on demand, and then each table equals cmap(arange(N), bytes=True) byte for byte', async () => {
    expect(isColormapLoaded('bone')).toBe(false);
    await loadColormap('bone');
    expect(isColormapLoaded('bone')).toBe(true);
    await loadColormaps();
    const wrong: string[] = [];
    for (const name of MATPLOTLIB_COLORMAP_NAMES) {
      const lut = colormapLut(name);
      const { N, sha256 } = golden.sha256[name];
      if (lut.length !== 4 * N || createHash('sha256').update(lut).digest('hex') !== sha256) wrong.push(name);
    }
    expect(wrong).toEqual([]);
  });

  describe.each(Object.keys(golden.subset))('%s', (name) => {
    it('colours values (LUT boundaries, out of range, NaN) and raw data over vmin/vmax exactly as matplotlib', async () => {
      await loadColormap(name);
      expect(hex(applyColormap(values, name, { vmin: 0, vmax: 1 }))).toBe(golden.subset[name].values);
      expect(hex(applyColormap(golden.raw, name, golden.explicit))).toBe(golden.subset[name].rawExplicit);
    });
  });

  it('rejects a name matplotlib does not have', async () => {
    await expect(loadColormap('bone_rr')).rejects.toThrow('unknown colormap "bone_rr"');
  });
});

describe('gray scaling over a range', () => {
  it('clips to vmin/vmax before scaling to 8 bits; NaN stays 0', () => {
    const image = imageFrom(5, 1, Float64Array.of(0, 50, 100, NaN, 60));
    expect(Array.from(scaleToUint8(image, { vmin: 25, vmax: 75 }).data)).toEqual([0, 127, 255, 0, 179]);
    expect(Array.from(scaleToUint8(image).data)).toEqual([0, 127, 255, 0, 153]);
  });
});

describe('clipPercentile', () => {
  it('takes vmin and vmax from numpy.percentile (linear) of the finite values', () => {
    const { p, range } = golden.clipPercentile;
    const got = displayRange([...golden.raw, NaN, Infinity], { clipPercentile: p });
    expect(got.vmin).toBeCloseTo(range[0], 12);
    expect(got.vmax).toBeCloseTo(range[1], 12);
    expect(applyColormap(golden.raw, 'gray', { clipPercentile: p })).toEqual(applyColormap(golden.raw, 'gray', { vmin: got.vmin, vmax: got.vmax }));
    expect(applyColormap(golden.raw, 'gray', { clipPercentile: p })).not.toEqual(applyColormap(golden.raw, 'gray'));
  });

  it('rejects a bad pair, and a pair together with vmin/vmax', () => {
    expect(() => displayRange([1], { clipPercentile: [5, 101] })).toThrow('colormap clipPercentile must be [low, high] with 0 <= low <= high <= 100, got [5,101]');
    expect(() => displayRange([1], { clipPercentile: [60, 40] })).toThrow('got [60,40]');
    expect(() => displayRange([1], { clipPercentile: [1, 99], vmin: 0 })).toThrow('clipPercentile and vmin/vmax both set the range');
  });
});
