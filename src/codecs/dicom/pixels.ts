/**
 * Frame samples to the stored values of a grayscale image (PS3.5 8.1.1, PS3.3 C.7.6.3.1):
 * bits outside BitsStored/HighBit cleared, two's complement sign-extended when PixelRepresentation
 * is 1, and colour (RGB, YBR_FULL, YBR_FULL_422) reduced to one luma value per pixel.
 */
import type { Image2D } from '../../image.js';

export type StoredArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface SampleLayout {
  samples: ArrayLike<number>;
  components: number;
  planar: boolean;
  /** The samples are YCbCr (YBR_FULL) and must become RGB before luma. */
  ybr: boolean;
}

export interface StoredFormat {
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
}

/**
 * The integer array for a format: the smallest JavaScript type holding every value (signed 8-bit
 * goes to int16, as there is no int8 dtype).
 */
function storedArray(format: StoredFormat, length: number): StoredArray {
  if (format.bitsAllocated === 8) return format.signed ? new Int16Array(length) : new Uint8Array(length);
  if (format.bitsAllocated === 16) return format.signed ? new Int16Array(length) : new Uint16Array(length);
  return format.signed ? new Int32Array(length) : new Uint32Array(length);
}

/** A function from a raw sample (any bit pattern) to its stored value. */
function storedValue(format: StoredFormat): (raw: number) => number {
  const { bitsStored, highBit, signed } = format;
  const shift = Math.max(0, highBit + 1 - bitsStored);
  if (bitsStored >= 32) return signed ? (raw) => raw | 0 : (raw) => raw >>> 0;
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const range = 2 ** bitsStored;
  if (!signed) return (raw) => (raw >>> shift) & mask;
  return (raw) => {
    const v = (raw >>> shift) & mask;
    return v >= signBit ? v - range : v;
  };
}

/** `storedValue` over a whole gray frame, in loops the JIT keeps tight (a 1024x1024 frame in ~2 ms). */
function grayStored(samples: ArrayLike<number>, out: StoredArray, format: StoredFormat): void {
  const { bitsStored, highBit, signed } = format;
  const n = out.length;
  if (bitsStored >= 32) {
    const value = storedValue(format);
    for (let i = 0; i < n; i++) out[i] = value(samples[i]);
    return;
  }
  const shift = Math.max(0, highBit + 1 - bitsStored);
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  if (!signed && shift === 0) for (let i = 0; i < n; i++) out[i] = samples[i] & mask;
  else if (!signed) for (let i = 0; i < n; i++) out[i] = (samples[i] >>> shift) & mask;
  // Branch-free sign extension: (v ^ signBit) - signBit is v - 2^bits exactly when v >= signBit.
  else for (let i = 0; i < n; i++) out[i] = (((samples[i] >>> shift) & mask) ^ signBit) - signBit;
}

/**
 * ITU-R 601 luma as Pillow computes it (libImaging/Convert.c L24), the same rule as PNG decoding
 * (src/io/png.ts `luma`): 16.16 fixed point, rounded half up; exact in float64 for 16-bit samples.
 */
export function luma(r: number, g: number, b: number): number {
  return Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
}

/**
 * YCbCr (YBR_FULL, PS3.3 C.7.6.3.1.2) to RGB with pydicom's coefficients (convert_color_space):
 * JPEG/JFIF full-range, rounded half up and clipped to 0..255.
 */
function ybrToRgb(y: number, cb: number, cr: number, out: number[]): void {
  const b = cb - 128;
  const r = cr - 128;
  out[0] = Math.min(255, Math.max(0, Math.floor(y + 1.402 * r + 0.5)));
  out[1] = Math.min(255, Math.max(0, Math.floor(y - ((0.114 * 1.772) / 0.587) * b - ((0.299 * 1.402) / 0.587) * r + 0.5)));
  out[2] = Math.min(255, Math.max(0, Math.floor(y + 1.772 * b + 0.5)));
}

/** The stored values of one frame, one per pixel. */
export function storedImage(layout: SampleLayout, width: number, height: number, format: StoredFormat): Image2D<StoredArray> {
  const n = width * height;
  const out = storedArray(format, n);
  const value = storedValue(format);
  const { samples } = layout;
  if (layout.components === 1) {
    grayStored(samples, out, format);
    return { width, height, data: out };
  }
  // Colour: sample k of pixel i, interleaved or plane by plane (PlanarConfiguration, C.7.6.3.1.3).
  const step = layout.planar ? 1 : layout.components;
  const plane = layout.planar ? n : 1;
  const rgb = [0, 0, 0];
  for (let i = 0, p = 0; i < n; i++, p += step) {
    const c0 = value(samples[p]);
    const c1 = value(samples[p + plane]);
    const c2 = value(samples[p + 2 * plane]);
    if (layout.ybr) {
      ybrToRgb(c0, c1, c2, rgb);
      out[i] = luma(rgb[0], rgb[1], rgb[2]);
    } else {
      out[i] = luma(c0, c1, c2);
    }
  }
  return { width, height, data: out };
}

/** Native YBR_FULL_422 (C.7.6.3.1.2): pairs of pixels stored as Y1 Y2 Cb Cr; to full YCbCr, interleaved. */
export function expandYbr422(samples: ArrayLike<number>, width: number, height: number): Uint8Array | Uint16Array {
  const out = new (samples instanceof Uint16Array ? Uint16Array : Uint8Array)(width * height * 3);
  let s = 0;
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x += 2) {
      const y1 = samples[s];
      const y2 = samples[s + 1];
      const cb = samples[s + 2];
      const cr = samples[s + 3];
      s += 4;
      out[o++] = y1;
      out[o++] = cb;
      out[o++] = cr;
      if (x + 1 < width) {
        out[o++] = y2;
        out[o++] = cb;
        out[o++] = cr;
      }
    }
  }
  return out;
}
