/**
 * PNG decoding, browser-safe (no Node built-ins), with the file's structure checked first so that
 * every failure is an `ImageFileError` saying what is wrong in words, and so that absurd sizes are
 * refused before any pixel memory is allocated.
 *
 * It gives a grayscale `Image2D`, matching Pillow's `Image.open(f).convert("L")` (what the
 * tutorial's imageio/Pillow stack sees) for every 8-bit-or-less PNG:
 *   - gray 1/2/4/8-bit      -> uint8, low depths scaled to 0..255 (v * 255 / (2^depth - 1): 1-bit gives
 *                              0/255, 2-bit 0/85/170/255, 4-bit multiples of 17), as Pillow does
 *   - gray 16-bit           -> uint16, values kept as stored (not reduced to 8 bits)
 *   - RGB / palette 8-bit   -> uint8 luma, ITU-R 601 in Pillow's integer form
 *                              L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16
 *   - RGB 16-bit            -> uint16 luma, the same formula on 16-bit samples (floor((... + 32768) / 65536),
 *                              i.e. rounded to nearest with halves up); Pillow would first cut such files to 8 bits
 *   - alpha (gray+alpha, RGBA, tRNS) is dropped, not composited: a transparent pixel keeps its colour's gray
 *                              value, as in Pillow's convert("L")
 * Interlaced (Adam7) files decode to the same pixels as their non-interlaced twins. Gamma and colour
 * profile chunks are ignored, as convert("L") ignores them. Details and every error: docs/io.md.
 */
import type { Image2D } from '../image.js';
import { ImageFileError, pixelLimitProblem } from './errors.js';
import { kernelLoader } from '../wasm/kernel.js';
import { PNG_UNFILTER_WASM } from '../wasm/png-unfilter.generated.js';
import { paethPredictor } from './paeth.js';
import { portableZlib, ZlibError, type ZlibFunctions } from './zlib.js';

/** src/wasm/png-unfilter.wat: byte addresses in the kernel's memory; -1 or the first bad row. */
interface PngUnfilterExports {
  unfilter_gray8(src: number, width: number, height: number, dst: number): number;
}

/** This thread's unfilter kernel, or undefined where WebAssembly SIMD is missing or switched off. */
const unfilterKernel = kernelLoader<PngUnfilterExports>(PNG_UNFILTER_WASM);

/** Default ceiling on width * height: 2^28 pixels (16384 x 16384). */
export const DEFAULT_MAX_PIXELS = 2 ** 28;

/** Options of `decodePng`. */
export interface DecodePngOptions {
  /** Refuse images with more pixels than this (default `DEFAULT_MAX_PIXELS`). */
  maxPixels?: number;
}

/** PNG colour types (PNG spec, section 11.2.2 IHDR). */
export const PNG_COLOR_TYPES = {
  gray: 0,
  rgb: 2,
  palette: 3,
  grayAlpha: 4,
  rgba: 6,
} as const;

/** The fields of IHDR (PNG spec 11.2.2). */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bit depths each colour type allows (PNG spec 11.2.2, table 11.1). */
const ALLOWED_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
/** Samples per pixel for each colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: first column, first row, column step, row step (PNG spec 8.2). */
const ADAM7_PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;
/** The PNG spec caps width and height at 2^31 - 1 (section 11.2.2). */
const MAX_DIMENSION = 2 ** 31 - 1;

interface Chunk {
  type: string;
  /** Offset of the chunk's length field, so the whole chunk is bytes[start, dataEnd + 4). */
  start: number;
  dataStart: number;
  dataEnd: number;
}

interface PngStructure {
  header: PngHeader;
  chunks: Chunk[];
}

/**
 * Reads and checks IHDR only: the signature, that IHDR comes first, and that its fields are legal and
 * within `maxPixels`. Cheap; no pixel memory is touched.
 */
export function readPngHeader(bytes: Uint8Array, name: string, options: DecodePngOptions = {}): PngHeader {
  checkSignature(bytes, name);
  const first = readChunkAt(bytes, SIGNATURE.length, name);
  if (first.type !== 'IHDR') fail(name, `missing IHDR chunk (the first chunk is ${first.type})`);
  checkCrc(bytes, first, name, portableZlib);
  return parseHeader(bytes, first, name, options.maxPixels ?? DEFAULT_MAX_PIXELS);
}

/**
 * Decodes a PNG of any kind into a grayscale image (uint8, or uint16 for 16-bit files); see the module
 * comment for the exact conversion. Every problem throws an `ImageFileError` naming `name`.
 */
export function decodePng(
  bytes: Uint8Array,
  name: string,
  options: DecodePngOptions = {},
): Image2D<Uint8Array | Uint16Array> {
  return decodePngWith(portableZlib, bytes, name, options);
}

/** `decodePng` with the given inflate and CRC (Node passes node:zlib's, which are faster). */
export function decodePngWith(
  zlib: ZlibFunctions,
  bytes: Uint8Array,
  name: string,
  options: DecodePngOptions = {},
): Image2D<Uint8Array | Uint16Array> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) {
    throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  }
  const { header, chunks } = readStructure(bytes, name, maxPixels, zlib);
  const filtered = inflateImageData(bytes, chunks, header, name, zlib);
  // The X-ray datasets' format (8-bit gray; 16-bit in DICOM exports) has a short path of its own.
  if (header.colorType === PNG_COLOR_TYPES.gray && !header.interlaced && (header.bitDepth === 8 || header.bitDepth === 16)) {
    return decodeGrayRows(filtered, header, name);
  }
  return decodeAnyKind(filtered, header, paletteLuma(bytes, chunks, header), name);
}

// ---------------------------------------------------------------------------------------------------
// Structure: signature, chunks, CRCs, IHDR

function readStructure(bytes: Uint8Array, name: string, maxPixels: number, zlib: ZlibFunctions): PngStructure {
  checkSignature(bytes, name);
  const chunks: Chunk[] = [];
  let header: PngHeader | undefined;
  let offset = SIGNATURE.length;
  for (;;) {
    if (offset >= bytes.length) {
      fail(name, `truncated: the file ends after ${bytes.length} bytes, before the IEND chunk`);
    }
    const chunk = readChunkAt(bytes, offset, name);
    if (chunks.length === 0 && chunk.type !== 'IHDR') fail(name, `missing IHDR chunk (the first chunk is ${chunk.type})`);
    checkCrc(bytes, chunk, name, zlib);
    // Check IHDR as soon as it is read, so an absurd size fails before the rest is even looked at.
    if (chunk.type === 'IHDR') {
      if (header) fail(name, 'more than one IHDR chunk');
      header = parseHeader(bytes, chunk, name, maxPixels);
    }
    chunks.push(chunk);
    if (chunk.type === 'IEND') break;
    offset = chunk.dataEnd + 4;
  }
  if (!header) fail(name, 'missing IHDR chunk');
  if (!chunks.some((c) => c.type === 'IDAT')) fail(name, 'no IDAT chunk (the file holds no image data)');
  if (header.colorType === PNG_COLOR_TYPES.palette && !chunks.some((c) => c.type === 'PLTE')) {
    fail(name, 'palette image (colour type 3) without a PLTE chunk');
  }
  return { header, chunks };
}

function checkSignature(bytes: Uint8Array, name: string): void {
  if (bytes.length === 0) fail(name, 'not a PNG file (the file is empty)');
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    fail(name, 'not a PNG file (bad signature)');
  }
}

/** Reads the chunk whose length field starts at `offset`, checking that all of it is present (PNG spec 5.3). */
function readChunkAt(bytes: Uint8Array, offset: number, name: string): Chunk {
  if (offset + 8 > bytes.length) {
    fail(name, `truncated: the file ends after ${bytes.length} bytes, inside a chunk header at byte ${offset}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(offset);
  const typeBytes = bytes.subarray(offset + 4, offset + 8);
  const isLetter = (b: number) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
  if (!typeBytes.every(isLetter)) {
    fail(name, `corrupt chunk header at byte ${offset} (chunk type bytes ${Array.from(typeBytes).join(',')} are not letters)`);
  }
  const type = String.fromCharCode(...typeBytes);
  if (length > MAX_DIMENSION) fail(name, `corrupt chunk ${type} at byte ${offset}: length ${length} exceeds 2^31 - 1`);
  const dataStart = offset + 8;
  const dataEnd = dataStart + length;
  if (dataEnd + 4 > bytes.length) {
    const available = Math.max(0, bytes.length - dataStart);
    fail(name, `truncated: chunk ${type} at byte ${offset} declares ${length} data bytes plus a 4-byte CRC, but only ${available} bytes remain`);
  }
  return { type, start: offset, dataStart, dataEnd };
}

/** The CRC covers the chunk type and data (PNG spec 5.3). */
function checkCrc(bytes: Uint8Array, chunk: Chunk, name: string, zlib: ZlibFunctions): void {
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(chunk.dataEnd);
  const computed = zlib.crc32(bytes.subarray(chunk.start + 4, chunk.dataEnd));
  if (stored !== computed) {
    fail(name, `CRC mismatch in chunk ${chunk.type} at byte ${chunk.start} (stored 0x${hex(stored)}, computed 0x${hex(computed)}): the file is corrupt`);
  }
}

function parseHeader(bytes: Uint8Array, chunk: Chunk, name: string, maxPixels: number): PngHeader {
  const length = chunk.dataEnd - chunk.dataStart;
  if (length !== 13) fail(name, `IHDR chunk must be 13 bytes, got ${length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + chunk.dataStart, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const bitDepth = view.getUint8(8);
  const colorType = view.getUint8(9);
  const compression = view.getUint8(10);
  const filter = view.getUint8(11);
  const interlace = view.getUint8(12);
  if (width === 0) fail(name, 'zero width in IHDR (a PNG must be at least 1x1)');
  if (height === 0) fail(name, 'zero height in IHDR (a PNG must be at least 1x1)');
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
    fail(name, `IHDR size ${width}x${height} exceeds the PNG maximum of 2^31 - 1 per side`);
  }
  const depths = ALLOWED_DEPTHS[colorType];
  if (!depths) fail(name, `unknown colour type ${colorType} in IHDR (PNG allows 0, 2, 3, 4, 6)`);
  if (!depths.includes(bitDepth)) {
    fail(name, `bit depth ${bitDepth} is not allowed for colour type ${colorType} (allowed: ${depths.join(', ')})`);
  }
  if (compression !== 0) fail(name, `unknown compression method ${compression} in IHDR (PNG defines only 0)`);
  if (filter !== 0) fail(name, `unknown filter method ${filter} in IHDR (PNG defines only 0)`);
  if (interlace > 1) fail(name, `unknown interlace method ${interlace} in IHDR (PNG defines 0 and 1)`);
  const overLimit = pixelLimitProblem(width, height, maxPixels);
  if (overLimit) fail(name, overLimit);
  return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

/** Inflates IDAT, capped at the size the header implies, so a malicious stream cannot exhaust memory. */
function inflateImageData(bytes: Uint8Array, chunks: readonly Chunk[], header: PngHeader, name: string, zlib: ZlibFunctions): Uint8Array {
  const expected = filteredDataSize(header);
  const compressed = concat(chunks.filter((c) => c.type === 'IDAT').map((c) => bytes.subarray(c.dataStart, c.dataEnd)));
  let inflated: Uint8Array;
  try {
    inflated = zlib.inflate(compressed, expected);
  } catch (error) {
    throw new ImageFileError(name, describeInflateError(error), { cause: error });
  }
  if (inflated.length !== expected) {
    const kind = header.interlaced ? 'an interlaced' : 'a';
    fail(name, `image data holds ${inflated.length} bytes once inflated, but ${kind} ${header.width}x${header.height} image of this kind needs ${expected}`);
  }
  return inflated;
}

/** Bytes of filtered scanlines: per row, 1 filter byte + the packed samples; per Adam7 pass if interlaced (PNG spec 8.2). */
function filteredDataSize(header: PngHeader): number {
  const { width, height, bitDepth, colorType } = header;
  const bitsPerPixel = bitDepth * CHANNELS[colorType];
  const rowBytes = (columns: number) => 1 + Math.ceil((columns * bitsPerPixel) / 8);
  if (!header.interlaced) return height * rowBytes(width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7_PASSES) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) total += rows * rowBytes(columns);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Pixels

/**
 * 8- or 16-bit gray, not interlaced: undoes the row filters in place (PNG spec 9.2-9.4) and reads the
 * samples (16-bit ones are big-endian, spec 7.1).
 */
function decodeGrayRows(filtered: Uint8Array, header: PngHeader, name: string): Image2D<Uint8Array | Uint16Array> {
  const { width, height, bitDepth } = header;
  if (bitDepth === 8) {
    const image = unfilterGray8Simd(filtered, width, height, name);
    if (image) return image;
  }
  const bpp = bitDepth / 8; // bytes per pixel; filters look back this far
  const stride = width * bpp;
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1) + 1;
    const filter = filtered[start - 1];
    if (filter > 4) fail(name, `bad row filter type ${filter} (PNG defines 0 to 4)`);
    unfilterRow(filtered, start, stride, bpp, filter, y > 0 ? start - stride - 1 : -1);
  }
  if (bitDepth === 8) {
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) out.set(filtered.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * width);
    return { width, height, data: out };
  }
  const out = new Uint16Array(width * height);
  for (let y = 0, i = 0; y < height; y++) {
    for (let p = y * (stride + 1) + 1, end = p + stride; p < end; p += 2) out[i++] = (filtered[p] << 8) | filtered[p + 1];
  }
  return { width, height, data: out };
}

/**
 * 8-bit gray rows unfiltered in WebAssembly (src/wasm/png-unfilter.wat), about 2.5x the scalar loops;
 * undefined where the kernel cannot run (the caller then takes them).
 */
function unfilterGray8Simd(filtered: Uint8Array, width: number, height: number, name: string): Image2D<Uint8Array> | undefined {
  const kernel = unfilterKernel();
  // Memory: the filtered rows, then a zero row (row 0's row above), then the image.
  const zerosAt = filtered.length;
  const imageAt = zerosAt + width;
  if (!kernel || !kernel.reserve(imageAt + width * height)) return undefined;
  kernel.u8.set(filtered, 0);
  kernel.u8.fill(0, zerosAt, imageAt);
  const badRow = kernel.exports.unfilter_gray8(0, width, height, imageAt);
  if (badRow >= 0) fail(name, `bad row filter type ${filtered[badRow * (width + 1)]} (PNG defines 0 to 4)`);
  return { width, height, data: kernel.u8.slice(imageAt, imageAt + width * height) };
}

/**
 * Every other kind: each Adam7 pass (or the one full image) is unfiltered row by row, and each pixel's
 * samples become one gray value written to its place in the image.
 */
function decodeAnyKind(
  filtered: Uint8Array,
  header: PngHeader,
  palette: Uint8Array | undefined,
  name: string,
): Image2D<Uint8Array | Uint16Array> {
  const { width, height, bitDepth, colorType } = header;
  const channels = CHANNELS[colorType];
  const bitsPerPixel = bitDepth * channels;
  const bpp = Math.ceil(bitsPerPixel / 8);
  const out = bitDepth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  const gray = grayOfPixel(header, palette, name);
  const passes = header.interlaced ? ADAM7_PASSES : ([[0, 0, 1, 1]] as const);
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns <= 0 || rows <= 0) continue;
    const rowBytes = Math.ceil((columns * bitsPerPixel) / 8);
    for (let r = 0; r < rows; r++) {
      const start = offset + 1;
      const filter = filtered[offset];
      if (filter > 4) fail(name, `bad row filter type ${filter} (PNG defines 0 to 4)`);
      unfilterRow(filtered, start, rowBytes, bpp, filter, r > 0 ? start - rowBytes - 1 : -1);
      const y = y0 + r * dy;
      for (let c = 0; c < columns; c++) out[y * width + x0 + c * dx] = gray(filtered, start, c);
      offset += rowBytes + 1;
    }
  }
  return { width, height, data: out };
}

/** A function giving pixel `c`'s gray value from an unfiltered row that starts at `start`. */
type GrayOfPixel = (row: Uint8Array, start: number, c: number) => number;

function grayOfPixel(header: PngHeader, palette: Uint8Array | undefined, name: string): GrayOfPixel {
  const { bitDepth, colorType } = header;
  const channels = CHANNELS[colorType];
  if (bitDepth === 16) {
    const sample = (row: Uint8Array, p: number) => (row[p] << 8) | row[p + 1];
    if (colorType === PNG_COLOR_TYPES.gray || colorType === PNG_COLOR_TYPES.grayAlpha) {
      return (row, start, c) => sample(row, start + c * 2 * channels);
    }
    return (row, start, c) => {
      const p = start + c * 2 * channels;
      return luma(sample(row, p), sample(row, p + 2), sample(row, p + 4));
    };
  }
  if (bitDepth === 8 && colorType !== PNG_COLOR_TYPES.palette) {
    if (colorType === PNG_COLOR_TYPES.gray || colorType === PNG_COLOR_TYPES.grayAlpha) return (row, start, c) => row[start + c * channels];
    return (row, start, c) => {
      const p = start + c * channels;
      return luma(row[p], row[p + 1], row[p + 2]);
    };
  }
  // One sample per pixel, 1..8 bits, packed from the high bit (PNG spec 7.2): gray or a palette index.
  const mask = (1 << bitDepth) - 1;
  const index = (row: Uint8Array, start: number, c: number) => {
    const bit = c * bitDepth;
    return (row[start + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & mask;
  };
  if (palette) {
    return (row, start, c) => {
      const i = index(row, start, c);
      if (i >= palette.length) fail(name, `index ${i} not in palette (the PLTE chunk has fewer entries)`);
      return palette[i];
    };
  }
  // Depths below 8 are scaled to 0..255 as Pillow does (1-bit x 255, 2-bit x 85, 4-bit x 17).
  const scale = 255 / mask;
  return (row, start, c) => index(row, start, c) * scale;
}

/** The luma of each PLTE entry (always 8-bit RGB, whatever the index depth, PNG spec 11.2.3); undefined unless colour type 3. */
function paletteLuma(bytes: Uint8Array, chunks: readonly Chunk[], header: PngHeader): Uint8Array | undefined {
  if (header.colorType !== PNG_COLOR_TYPES.palette) return undefined;
  const plte = chunks.find((c) => c.type === 'PLTE');
  if (!plte) return undefined; // readStructure has refused this already
  const entries = Math.floor((plte.dataEnd - plte.dataStart) / 3);
  const lumas = new Uint8Array(entries);
  for (let i = 0, p = plte.dataStart; i < entries; i++, p += 3) lumas[i] = luma(bytes[p], bytes[p + 1], bytes[p + 2]);
  return lumas;
}

/** Reverses one row's filter; `previous` is the start of the row above, already unfiltered (-1: none). */
function unfilterRow(data: Uint8Array, start: number, length: number, bpp: number, filter: number, previous: number): void {
  const end = start + length;
  const firstFull = Math.min(start + bpp, end); // bytes before this have no left neighbour
  if (previous < 0) {
    // First row: the row above counts as zeros, so Up is None, and Paeth picks the left byte (Sub).
    if (filter === 1 || filter === 4) for (let i = firstFull; i < end; i++) data[i] += data[i - bpp];
    if (filter === 3) for (let i = firstFull; i < end; i++) data[i] += data[i - bpp] >> 1;
    return;
  }
  const up = previous - start; // data[i + up] is the byte above data[i]
  switch (filter) {
    case 0:
      return;
    case 1: // Sub: + the byte one pixel to the left
      for (let i = firstFull; i < end; i++) data[i] += data[i - bpp];
      return;
    case 2: // Up: + the byte above
      for (let i = start; i < end; i++) data[i] += data[i + up];
      return;
    case 3: // Average of left and above, rounded down
      for (let i = start; i < firstFull; i++) data[i] += data[i + up] >> 1;
      for (let i = firstFull; i < end; i++) data[i] += (data[i - bpp] + data[i + up]) >> 1;
      return;
    default: // 4, Paeth: whichever of left, above, upper-left is closest to left + above - upper-left
      for (let i = start; i < firstFull; i++) data[i] += data[i + up]; // no left: above wins
      if (bpp === 1) return unpaethGray8(data, firstFull, end, up);
      for (let i = firstFull; i < end; i++) data[i] += paethPredictor(data[i - bpp], data[i + up], data[i + up - bpp]);
  }
}

/**
 * Paeth for one byte per pixel (8-bit gray without WebAssembly, palettes, depths below 8): the left
 * and upper-left bytes are carried in locals rather than loaded again.
 */
function unpaethGray8(data: Uint8Array, from: number, end: number, up: number): void {
  let a = data[from - 1];
  let c = data[from - 1 + up];
  for (let i = from; i < end; i++) {
    const b = data[i + up];
    a = (data[i] + paethPredictor(a, b, c)) & 0xff;
    data[i] = a;
    c = b;
  }
}

/**
 * ITU-R 601 luma as Pillow computes it (libImaging/Convert.c, L24): 16.16 fixed point, rounded half up.
 * Exact in float64 for 16-bit samples too (the sum stays below 2^33).
 */
export function luma(r: number, g: number, b: number): number {
  return Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
}


// ---------------------------------------------------------------------------------------------------
// Errors

/** Turns an inflate failure into a sentence about the file. */
function describeInflateError(error: unknown): string {
  if (!(error instanceof ZlibError)) return `cannot inflate the image data: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.problem) {
    case 'too-long':
      return 'image data inflates to more bytes than the IHDR size allows (corrupt or malicious file)';
    case 'truncated':
      return 'truncated image data: the compressed IDAT stream ends early';
    default:
      return `bad zlib data in IDAT (${error.message})`;
  }
}

function fail(name: string, problem: string): never {
  throw new ImageFileError(name, problem);
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
