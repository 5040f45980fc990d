/**
 * matplotlib colormaps as 256-entry RGBA byte tables, and the value -> colour mapping of
 * `imshow(data, cmap=name, vmin=..., vmax=...)`: `cmap(Normalize(vmin, vmax)(data), bytes=True)`.
 *
 * The tables come from scripts/make_colormaps.py (matplotlib 3.6.3). matplotlib converts its float
 * table to bytes by truncation, `(lut * 255).astype(uint8)`, and so do the stored tables: for
 * float64 data the colours here equal matplotlib's bit for bit (test/render/colormap.test.ts).
 */
import type { Image2D } from '../image.js';
import { COLORMAP_LUT_HEX } from './colormap-luts.generated.js';
import type { RgbaImage } from './rgba-image.js';

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

export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** Entries per table (matplotlib's default `N`). */
export const COLORMAP_SIZE = 256;

/** The normalisation range; each bound defaults to the data's finite min / max, as imshow's Normalize does. */
export interface ColormapOptions {
  vmin?: number;
  vmax?: number;
}

export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

const decoded = new Map<ColormapName, Uint8Array>();

function lutOf(name: string): Uint8Array {
  if (!isColormapName(name)) {
    throw new RangeError(`unknown colormap "${name}"; accepted: ${COLORMAP_NAMES.join(', ')}`);
  }
  let lut = decoded.get(name);
  if (lut === undefined) {
    lut = hexToBytes(COLORMAP_LUT_HEX[name]);
    decoded.set(name, lut);
  }
  return lut;
}

/**
 * The colormap's table: 256 x RGBA bytes (entry i at `[4 i, 4 i + 4)`), ready to upload as a
 * 256x1 rgba8unorm texture or a storage buffer. A fresh copy: the caller may keep or modify it.
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
  const { vmin, vmax } = normalisationRange(values, options);
  const out = new Uint8Array(values.length * 4);
  // Whole RGBA entries copied as 32-bit words (a byte copy either way round, whatever the endianness).
  const lut32 = new Uint32Array(lut.buffer, lut.byteOffset, COLORMAP_SIZE);
  const out32 = new Uint32Array(out.buffer);
  const span = vmax - vmin;
  const last = COLORMAP_SIZE - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v - v is 0 for finite values, NaN otherwise: bad values stay (0, 0, 0, 0).
    if (v - v !== 0) continue;
    let entry = 0;
    if (span !== 0) {
      // Same float64 operations, in the same order, as Normalize and Colormap.__call__; truncation by
      // `| 0` once the value is known to lie in [0, last).
      const scaled = ((v - vmin) / span) * COLORMAP_SIZE;
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

function normalisationRange(values: ArrayLike<number>, options: ColormapOptions): { vmin: number; vmax: number } {
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

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
