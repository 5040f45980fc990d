/**
 * Test helper: assembles PNG files chunk by chunk (node:zlib for IDAT and CRC32), for the kinds pngjs
 * cannot write: palettes, 1/2/4-bit samples, 16-bit colour, Adam7 interlacing, tRNS.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface PngSpec {
  width: number;
  height: number;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  colorType: 0 | 2 | 3 | 4 | 6;
  /** Samples row-major, `channels` per pixel (palette: the index). */
  samples: readonly number[];
  interlaced?: boolean;
  /** RGB triples for colour type 3. */
  palette?: readonly (readonly [number, number, number])[];
  /** Raw tRNS chunk data, if any. */
  trns?: Uint8Array;
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** One chunk: length, type, data, CRC over type + data (PNG spec 5.3). */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlaced = false): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data.set([bitDepth, colorType, 0, 0, interlaced ? 1 : 0], 8);
  return chunk('IHDR', data);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** A complete PNG file for `spec`, every scanline with filter type 0 (None). */
export function buildPng(spec: PngSpec): Uint8Array {
  const { width, height, bitDepth, colorType } = spec;
  const channels = CHANNELS[colorType];
  if (spec.samples.length !== width * height * channels) throw new Error('sample count does not match the size');
  const sample = (x: number, y: number, c: number) => spec.samples[(y * width + x) * channels + c];
  const rows: Uint8Array[] = [];
  const passes = spec.interlaced ? ADAM7 : [[0, 0, 1, 1] as const];
  for (const [x0, y0, dx, dy] of passes) {
    const xs: number[] = [];
    for (let x = x0; x < width; x += dx) xs.push(x);
    if (xs.length === 0) continue;
    for (let y = y0; y < height; y += dy) rows.push(packRow(xs.map((x) => Array.from({ length: channels }, (_, c) => sample(x, y, c))).flat(), bitDepth));
  }
  const parts = [PNG_SIGNATURE, ihdr(width, height, bitDepth, colorType, spec.interlaced)];
  if (spec.palette) parts.push(chunk('PLTE', Uint8Array.from(spec.palette.flat())));
  if (spec.trns) parts.push(chunk('tRNS', spec.trns));
  parts.push(chunk('IDAT', deflateSync(concat(rows))), chunk('IEND', new Uint8Array(0)));
  return concat(parts);
}

/** Filter byte 0, then the samples packed big-endian at `bitDepth` bits each (PNG spec 7.2). */
function packRow(values: readonly number[], bitDepth: number): Uint8Array {
  const bytes = new Uint8Array(1 + Math.ceil((values.length * bitDepth) / 8));
  if (bitDepth === 16) {
    values.forEach((v, i) => {
      bytes[1 + 2 * i] = v >> 8;
      bytes[2 + 2 * i] = v & 0xff;
    });
  } else {
    values.forEach((v, i) => {
      const bit = i * bitDepth;
      bytes[1 + (bit >> 3)] |= v << (8 - bitDepth - (bit & 7));
    });
  }
  return bytes;
}
