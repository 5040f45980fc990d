/**
 * Stored values to modality values and to the 8-bit display image (PS3.3 C.11.1 Modality LUT,
 * C.11.2 VOI LUT, C.11.2.1.2 window functions). The exact formulas, with their rounding, are in
 * docs/io.md ("DICOM values"); the golden script implements the same ones in Python as the oracle.
 */
import type { DataSet } from './parse.js';

/** A lookup table (LUT Descriptor + LUT Data, C.11.1.1): `first` is the first input value mapped. */
export interface Lut {
  entries: number;
  first: number;
  bits: number;
  data: ArrayLike<number>;
}

export type ModalityTransform = { kind: 'lut'; lut: Lut } | { kind: 'rescale'; slope: number; intercept: number } | { kind: 'identity' };

export type VoiTransform =
  | { kind: 'lut'; lut: Lut }
  | { kind: 'window'; center: number; width: number; fn: 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID' }
  | { kind: 'minmax' }
  /** 8-bit colour with no VOI: shown as it is, as a viewer shows an RGB picture. */
  | { kind: 'identity' };

export class DicomValueError extends Error {}

/**
 * Reads the first item's LUT from a sequence (Modality 0028,3000 or VOI 0028,3010). The descriptor's
 * first mapped value is US or SS by PixelRepresentation; 0 entries means 65536 (C.11.1.1.1).
 */
function readLut(dataSet: DataSet, sequenceTag: string, signed: boolean): Lut | undefined {
  const item = dataSet.elements[sequenceTag]?.items?.[0]?.dataSet;
  if (item === undefined) return undefined;
  const descriptor = item.elements.x00283002;
  const lutData = item.elements.x00283006;
  if (descriptor === undefined || lutData === undefined || descriptor.length < 6) return undefined;
  const entries = item.uint16('x00283002', 0) || 65536;
  const first = signed ? (item.int16('x00283002', 1) ?? 0) : (item.uint16('x00283002', 1) ?? 0);
  const bits = item.uint16('x00283002', 2) ?? 16;
  // LUT Data is OW or US: 16-bit words, 8-bit LUTs use the low byte of each word (C.11.1.1.1 allows
  // either packing; this reader takes one entry per word, as pydicom does when lengths match).
  const words = lutData.length >> 1;
  const data = new Uint16Array(Math.min(entries, words));
  for (let i = 0; i < data.length; i++) data[i] = item.uint16('x00283006', i) ?? 0;
  if (data.length < entries) throw new DicomValueError(`LUT Data holds ${data.length} entries, its descriptor says ${entries}`);
  return { entries, first, bits, data };
}

export function modalityTransform(dataSet: DataSet, signed: boolean, slope?: number, intercept?: number): ModalityTransform {
  const lut = readLut(dataSet, 'x00283000', signed);
  if (lut !== undefined) return { kind: 'lut', lut };
  // As pydicom's apply_modality_lut: both attributes needed.
  if (slope !== undefined && intercept !== undefined) return { kind: 'rescale', slope, intercept };
  return { kind: 'identity' };
}

export function voiTransform(dataSet: DataSet, signed: boolean, center?: number[], width?: number[], fn?: string): VoiTransform {
  const lut = readLut(dataSet, 'x00283010', signed);
  if (lut !== undefined) return { kind: 'lut', lut };
  if (center !== undefined && width !== undefined && center.length > 0 && width.length > 0) {
    const name = (fn ?? 'LINEAR').toUpperCase();
    if (name !== 'LINEAR' && name !== 'LINEAR_EXACT' && name !== 'SIGMOID') {
      throw new DicomValueError(`VOILUTFunction ${fn} is not one of LINEAR, LINEAR_EXACT, SIGMOID`);
    }
    const w = width[0];
    if (name === 'LINEAR' ? !(w >= 1) : !(w > 0)) {
      // C.11.2.1.2: Window Width >= 1 for LINEAR, > 0 otherwise; a broken window falls back to min-max.
      return { kind: 'minmax' };
    }
    return { kind: 'window', center: center[0], width: w, fn: name };
  }
  return { kind: 'minmax' };
}

function lookUp(lut: Lut, x: number): number {
  // Values below the first mapped one take the first entry, above the last take the last (C.11.1.1.1).
  const index = Math.min(lut.entries - 1, Math.max(0, Math.trunc(x) - lut.first));
  return lut.data[index];
}

/** Modality values (float64): the LUT, or slope * stored + intercept, or the stored values. */
export function applyModality(stored: ArrayLike<number>, transform: ModalityTransform): Float64Array {
  const n = stored.length;
  const out = new Float64Array(n);
  if (transform.kind === 'lut') for (let i = 0; i < n; i++) out[i] = lookUp(transform.lut, stored[i]);
  else if (transform.kind === 'rescale') {
    const { slope, intercept } = transform;
    for (let i = 0; i < n; i++) out[i] = stored[i] * slope + intercept;
  } else for (let i = 0; i < n; i++) out[i] = stored[i];
  return out;
}

/** 8-bit display values: the VOI on the modality values, rounded half up, inverted for MONOCHROME1. */
export function applyVoi(modality: Float64Array, transform: VoiTransform, invert: boolean): Uint8Array {
  const n = modality.length;
  const out = new Uint8Array(n);
  // Rounded half up and clamped; MONOCHROME1 is inverted in a last pass, keeping these loops simple.
  const level = (y: number) => Math.min(255, Math.max(0, Math.floor(y + 0.5)));
  if (transform.kind === 'lut') {
    const scale = 255 / (2 ** transform.lut.bits - 1);
    for (let i = 0; i < n; i++) out[i] = level(lookUp(transform.lut, modality[i]) * scale);
  } else if (transform.kind === 'window') {
    const { center: c, width: w } = transform;
    if (transform.fn === 'LINEAR') {
      // C.11.2.1.2.1
      const low = c - 0.5 - (w - 1) / 2;
      const high = c - 0.5 + (w - 1) / 2;
      for (let i = 0; i < n; i++) {
        const x = modality[i];
        out[i] = level(x <= low ? 0 : x > high ? 255 : ((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
      }
    } else if (transform.fn === 'LINEAR_EXACT') {
      // C.11.2.1.3.2
      for (let i = 0; i < n; i++) {
        const x = modality[i];
        out[i] = level(x <= c - w / 2 ? 0 : x > c + w / 2 ? 255 : ((x - c) / w + 0.5) * 255);
      }
    } else {
      // C.11.2.1.3.1 SIGMOID
      for (let i = 0; i < n; i++) out[i] = level(255 / (1 + Math.exp((-4 * (modality[i] - c)) / w)));
    }
  } else if (transform.kind === 'identity') {
    for (let i = 0; i < n; i++) out[i] = level(modality[i]);
  } else {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = modality[i];
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const scale = max > min ? 255 / (max - min) : 0;
    for (let i = 0; i < n; i++) out[i] = level((modality[i] - min) * scale);
  }
  if (invert) for (let i = 0; i < n; i++) out[i] = 255 - out[i];
  return out;
}
