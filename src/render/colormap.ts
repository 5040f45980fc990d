/**
 * matplotlib colormaps as 256-entry RGBA byte tables, and the value -> colour mapping of
 * `imshow(data, cmap=name, vmin=..., vmax=...)`: `cmap(Normalize(vmin, vmax)(data), bytes=True)`.
 *
 * The tables come from scripts/make_colormaps.py (matplotlib 3.6.3). matplotlib converts its float
 * table to bytes by truncation, `(lut * 255).astype(uint8)`, and so do the stored tables: for
 * float64 data the colours here equal matplotlib's bit for bit (test/render/colormap.test.ts).
 *
 * The tutorial's colormaps (COLORMAP_NAMES) are built in; every other one of matplotlib's
 * (MATPLOTLIB_COLORMAP_NAMES, `_r` included) is loaded on demand with `loadColormap`, so that the
 * eager bundle stays small.
 */
import type { Image2D } from '../image.js';
import { percentileByRank } from '../filters/percentile.js';
import { COLORMAP_LUT_HEX } from './colormap-luts.generated.js';
import { MATPLOTLIB_COLORMAP_NAMES } from './colormap-names.generated.js';
import type { RgbaImage } from './rgba-image.js';

export { MATPLOTLIB_COLORMAP_NAMES };

/** The colormaps the tutorial uses, in matplotlib's spelling. */
export const COLORMAP_NAMES = [
  'gray',
  'hot',
  'CMRmap',
  'prism',
  'nipy_spectral',
  'terrain',
  'viridis',
  'inferno',
  'magma',
] as const;

/** A built-in colormap: one the tutorial uses. */
export type ColormapName = (typeof COLORMAP_NAMES)[number];
/** Any colormap of matplotlib 3.6, reversed (`_r`) ones included. */
export type MatplotlibColormapName = (typeof MATPLOTLIB_COLORMAP_NAMES)[number];

/** Entries of the built-in tables (matplotlib's default `N`; qualitative maps such as tab10 have fewer). */
export const COLORMAP_SIZE = 256;

/**
 * The normalisation range, as imshow's `vmin`/`vmax`: each bound defaults to the data's finite
 * min / max. `clipPercentile: [low, high]` takes them from the data instead, as
 * `numpy.percentile(finite values, [low, high])` (linear), so that a few extreme pixels do not
 * flatten the rest; it cannot be combined with `vmin`/`vmax`.
 */
export interface ColormapOptions {
  vmin?: number;
  vmax?: number;
  clipPercentile?: readonly [number, number];
}

/** Whether `name` is a built-in (tutorial) colormap, usable without loading. */
export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

/** Whether `name` is one of matplotlib 3.6's colormaps (built in, or loadable with `loadColormap`). */
export function isMatplotlibColormapName(name: string): name is MatplotlibColormapName {
  return (MATPLOTLIB_COLORMAP_NAMES as readonly string[]).includes(name);
}

/** RGBA tables by name: the built-in ones decoded on first use, the others once loaded. */
const decoded = new Map<string, Uint8Array>();

function lutOf(name: string): Uint8Array {
  let lut = decoded.get(name);
  if (lut !== undefined) return lut;
  if (isColormapName(name)) {
    lut = hexToBytes(COLORMAP_LUT_HEX[name]);
    decoded.set(name, lut);
    return lut;
  }
  if (isMatplotlibColormapName(name)) {
    throw new RangeError(`colormap "${name}" is not loaded: await loadColormap(${JSON.stringify(name)}) first (built in: ${COLORMAP_NAMES.join(', ')})`);
  }
  throw new RangeError(
    `unknown colormap "${name}"; accepted: matplotlib 3.6's colormap names (MATPLOTLIB_COLORMAP_NAMES), e.g. ${COLORMAP_NAMES.join(', ')}, bone, jet, gray_r`,
  );
}

/** Whether `name`'s table can be used right now (built in, or loaded). */
export function isColormapLoaded(name: string): boolean {
  return decoded.has(name) || isColormapName(name);
}

/**
 * Makes matplotlib colormap `name` usable by `applyColormap`, `colormapLut` and `colormapImage`:
 * loads the module of every table on first call (about 75 kB, 47 kB gzipped). Built-in names need
 * no loading. A reversed map (`bone_r`) is its base table reversed, corrected where matplotlib's own
 * `_r` table rounds differently, so every colour equals `cmap(x, bytes=True)`.
 */
export async function loadColormap(name: string): Promise<void> {
  if (isColormapLoaded(name)) return;
  if (!isMatplotlibColormapName(name)) lutOf(name); // throws: unknown name
  const tables = await import('./colormap-luts-all.generated.js');
  decoded.set(name, buildLut(name, tables.BASE_LUTS_RGB, tables.REVERSED_PATCHES));
}

/** `loadColormap` for several names (default: every matplotlib colormap). */
export async function loadColormaps(names: readonly string[] = MATPLOTLIB_COLORMAP_NAMES): Promise<void> {
  for (const name of names) await loadColormap(name);
}

function buildLut(name: string, baseRgb: Readonly<Record<string, string>>, patches: Readonly<Record<string, string>>): Uint8Array {
  if (!name.endsWith('_r')) return rgbToRgba(base64ToBytes(baseRgb[name]));
  const base = name.slice(0, -2);
  const forward = isColormapName(base) ? lutOf(base) : rgbToRgba(base64ToBytes(baseRgb[base]));
  const entries = forward.length / 4;
  const lut = new Uint8Array(forward.length);
  for (let i = 0; i < entries; i++) lut.set(forward.subarray(4 * (entries - 1 - i), 4 * (entries - i)), 4 * i);
  const patch = patches[name] ?? '';
  for (let k = 0; k < patch.length; k += 10) {
    const entry = parseInt(patch.slice(k, k + 4), 16);
    lut.set(hexToBytes(patch.slice(k + 4, k + 10)), 4 * entry);
  }
  return lut;
}

/**
 * The colormap's table: N x RGBA bytes (entry i at `[4 i, 4 i + 4)`; N is 256 for the built-in
 * ones), ready to upload as an Nx1 rgba8unorm texture or a storage buffer. A fresh copy: the caller
 * may keep or modify it. Names other than the built-in ones need `loadColormap` first.
 */
export function colormapLut(name: string): Uint8Array {
  return lutOf(name).slice();
}

/**
 * Colours values as matplotlib's `cmap(Normalize(vmin, vmax)(values), bytes=True)`:
 * `x = (v - vmin) / (vmax - vmin)` (all 0 when vmin == vmax), then entry `trunc(x * 256)`, with
 * x == 1 -> 255, x < 0 -> entry 0 and x > 1 -> entry 255 (the default under/over colours).
 * NaN and infinities are "bad": transparent black (0, 0, 0, 0), and left out of the default range,
 * as imshow masks invalid data. Returns RGBA bytes, 4 per value.
 */
export function applyColormap(values: ArrayLike<number>, name: string, options: ColormapOptions = {}): Uint8Array {
  const lut = lutOf(name);
  const { vmin, vmax } = displayRange(values, options);
  const out = new Uint8Array(values.length * 4);
  const entries = lut.length / 4;
  // Whole RGBA entries copied as 32-bit words (a byte copy either way round, whatever the endianness).
  const lut32 = new Uint32Array(lut.buffer, lut.byteOffset, entries);
  const out32 = new Uint32Array(out.buffer);
  const span = vmax - vmin;
  const last = entries - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v - v is 0 for finite values, NaN otherwise: bad values stay (0, 0, 0, 0).
    if (v - v !== 0) continue;
    let entry = 0;
    if (span !== 0) {
      // Same float64 operations, in the same order, as Normalize and Colormap.__call__; truncation by
      // `| 0` once the value is known to lie in [0, last).
      const scaled = ((v - vmin) / span) * entries;
      if (scaled !== scaled) continue; // NaN (Infinity / Infinity when the span overflows): bad, as in matplotlib
      entry = scaled < 0 ? 0 : scaled >= last ? last : scaled | 0;
    }
    out32[i] = lut32[entry];
  }
  return out;
}

/** An image coloured with `applyColormap` (e.g. a filter output shown the way the tutorial shows it). */
export function colormapImage(image: Image2D, name: string, options: ColormapOptions = {}): RgbaImage {
  return { width: image.width, height: image.height, rgba: applyColormap(image.data, name, options) };
}

/**
 * The range values are shown over (`applyColormap`, and gray PNGs): `vmin`/`vmax` as given, the
 * finite min / max for a missing bound, or the `clipPercentile` percentiles of the finite values.
 */
export function displayRange(values: ArrayLike<number>, options: ColormapOptions = {}): { vmin: number; vmax: number } {
  if (typeof options !== 'object' || options === null) throw new RangeError(`colormap options must be an object, got ${JSON.stringify(options)}`);
  if (options.clipPercentile !== undefined) return percentileRange(values, options);
  for (const key of ['vmin', 'vmax'] as const) {
    const bound = options[key];
    if (bound !== undefined && !Number.isFinite(bound)) {
      throw new RangeError(`colormap ${key} must be a finite number, got ${bound}`);
    }
  }
  let { vmin, vmax } = options;
  if (vmin === undefined || vmax === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // No finite value at all: every pixel is bad, any range will do.
    vmin ??= Number.isFinite(lo) ? lo : 0;
    vmax ??= Number.isFinite(hi) ? hi : 0;
  }
  if (vmin > vmax) {
    throw new RangeError(`colormap vmin must be <= vmax, got vmin ${vmin} > vmax ${vmax}`);
  }
  return { vmin, vmax };
}

function percentileRange(values: ArrayLike<number>, options: ColormapOptions): { vmin: number; vmax: number } {
  const clip = options.clipPercentile;
  if (options.vmin !== undefined || options.vmax !== undefined) {
    throw new RangeError('colormap clipPercentile and vmin/vmax both set the range: give one or the other');
  }
  if (!Array.isArray(clip) || clip.length !== 2 || !clip.every((p) => typeof p === 'number' && p >= 0 && p <= 100) || clip[0] > clip[1]) {
    throw new RangeError(`colormap clipPercentile must be [low, high] with 0 <= low <= high <= 100, got ${JSON.stringify(clip)}`);
  }
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { vmin: 0, vmax: 0 }; // every pixel is bad: any range will do
  const sorted = Float64Array.from(finite).sort();
  const at = (percent: number) => percentileByRank(sorted.length, (rank) => sorted[rank], percent);
  return { vmin: at(clip[0]), vmax: at(clip[1]) };
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function rgbToRgba(rgb: Uint8Array): Uint8Array {
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i];
    rgba[j + 1] = rgb[i + 1];
    rgba[j + 2] = rgb[i + 2];
    rgba[j + 3] = 255;
  }
  return rgba;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
