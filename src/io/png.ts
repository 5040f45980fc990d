/**
 * PNG decode and encode (pngjs underneath), with the file's structure checked first so that every
 * failure is an `ImageFileError` saying what is wrong in words, and so that absurd sizes are refused
 * before any pixel memory is allocated.
 *
 * Decoding gives a grayscale `Image2D`, matching Pillow's `Image.open(f).convert("L")` (what the
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
import { constants as zlibConstants, crc32, deflateSync, inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type * as Pngjs from 'pngjs';
import type { Image2D } from '../image.js';
import { ImageFileError } from './errors.js';
import { paethFilter } from './paeth-filter.js';

let pngjsModule: typeof Pngjs | undefined;

/**
 * pngjs's PNG class, loaded on first use: the common files (8/16-bit gray, written or read) never
 * need it, and loading it costs every command about 40 ms of start-up.
 */
function pngjsPng(): typeof Pngjs.PNG {
  pngjsModule ??= createRequire(import.meta.url)('pngjs') as typeof Pngjs;
  return pngjsModule.PNG;
}
const { Z_RLE, Z_DEFAULT_STRATEGY } = zlibConstants;
/** PNG row filter 4 (PNG spec 9.4). */
const PAETH_FILTER = 4;

/** Default ceiling on width * height: 2^28 pixels (16384 x 16384), about 2 GiB of RGBA16 during decoding. */
export const DEFAULT_MAX_PIXELS = 2 ** 28;

/** Options of `decodePng`. */
export interface DecodePngOptions {
  /** Refuse images with more pixels than this (default `DEFAULT_MAX_PIXELS`). */
  maxPixels?: number;
}

/** Options of `encodePng` and `encodePngRgba`. */
export interface EncodePngOptions {
  /**
   * zlib level 0 (store) .. 9 (smallest), with zlib's default strategy. Omitted: a fast setting tuned
   * on X-rays (run-length deflate), about 4x faster than level 6 and no larger.
   */
  level?: number;
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
  checkCrc(bytes, first, name);
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
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) {
    throw new RangeError(`maxPixels must be a positive integer, got ${maxPixels}`);
  }
  const { header, chunks } = readStructure(bytes, name, maxPixels);
  const filtered = inflateImageData(bytes, chunks, header, name);
  // The X-ray datasets' format (8-bit gray; 16-bit in DICOM exports) is decoded here directly: 4x faster
  // than pngjs, which expands every pixel to RGBA through a function call per pixel.
  if (header.colorType === PNG_COLOR_TYPES.gray && !header.interlaced && (header.bitDepth === 8 || header.bitDepth === 16)) {
    return decodeGrayRows(filtered, header, name);
  }

  // pngjs zeroes every pixel whose colour matches a tRNS entry; alpha is dropped here, so tRNS is not
  // handed to it. (For palette files tRNS only sets alpha, which is dropped as well.)
  const forPngjs = chunks.some((c) => c.type === 'tRNS') ? withoutChunk(bytes, chunks, 'tRNS') : asBuffer(bytes);
  let rgba: Buffer | Uint16Array;
  try {
    // CRCs were checked above; skipRescale keeps 16-bit samples and leaves low depths to `toGray`.
    rgba = pngjsPng().sync.read(forPngjs, { checkCRC: false, skipRescale: true }).data;
  } catch (error) {
    throw new ImageFileError(name, describeDecodeError(error), { cause: error });
  }
  return toGray(rgba, header);
}

/** Encodes an 8-bit or 16-bit grayscale image as a grayscale PNG (colour type 0) of the same depth. */
export function encodePng(image: Image2D<Uint8Array | Uint16Array>, options: EncodePngOptions = {}): Uint8Array {
  const { width, height, data } = image;
  checkEncodeSize(width, height, data.length, 1);
  if (data instanceof Uint16Array) {
    // pngjs reads 16-bit input through `new Uint16Array(data.buffer)`, so hand it a buffer of its own.
    return encodeGray16(width, height, Buffer.from(Uint16Array.from(data).buffer), options);
  }
  return encode8Bit(width, height, data, 0, options);
}

/** Encodes 8-bit RGBA pixels (4 bytes per pixel, row-major) as an RGBA PNG, e.g. a colormapped image. */
export function encodePngRgba(width: number, height: number, rgba: Uint8Array, options: EncodePngOptions = {}): Uint8Array {
  checkEncodeSize(width, height, rgba.length, 4);
  return encode8Bit(width, height, rgba, 6, options);
}

// ---------------------------------------------------------------------------------------------------
// Structure: signature, chunks, CRCs, IHDR

function readStructure(bytes: Uint8Array, name: string, maxPixels: number): PngStructure {
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
    checkCrc(bytes, chunk, name);
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
function checkCrc(bytes: Uint8Array, chunk: Chunk, name: string): void {
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(chunk.dataEnd);
  const computed = crc32(bytes.subarray(chunk.start + 4, chunk.dataEnd));
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
  const pixels = width * height;
  if (pixels > maxPixels) {
    fail(
      name,
      `image is ${width}x${height} = ${pixels} pixels, more than the limit of ${maxPixels}; ` +
        'raise it with the maxPixels option (--max-pixels on the command line) if the file is genuine',
    );
  }
  return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

/**
 * Inflates IDAT, capped at the size the header implies: pngjs neither limits the output of interlaced
 * data nor reliably reports corrupt or short zlib streams, so this runs before it (~3 ms for 1024x1024).
 */
function inflateImageData(bytes: Uint8Array, chunks: readonly Chunk[], header: PngHeader, name: string): Buffer {
  const expected = filteredDataSize(header);
  const compressed = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => bytes.subarray(c.dataStart, c.dataEnd)));
  let inflated: Buffer;
  try {
    inflated = inflateSync(compressed, { maxOutputLength: expected });
  } catch (error) {
    throw new ImageFileError(name, describeDecodeError(error), { cause: error });
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

function withoutChunk(bytes: Uint8Array, chunks: readonly Chunk[], type: string): Buffer {
  const parts = [bytes.subarray(0, SIGNATURE.length)];
  for (const c of chunks) if (c.type !== type) parts.push(bytes.subarray(c.start, c.dataEnd + 4));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------------
// Pixels

/**
 * 8- or 16-bit gray, not interlaced: undoes the row filters in place (PNG spec 9.2-9.4) and reads the
 * samples (16-bit ones are big-endian, spec 7.1).
 */
function decodeGrayRows(filtered: Buffer, header: PngHeader, name: string): Image2D<Uint8Array | Uint16Array> {
  const { width, height, bitDepth } = header;
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

/** Reverses one row's filter; `previous` is the start of the row above, already unfiltered (-1: none). */
function unfilterRow(data: Buffer, start: number, length: number, bpp: number, filter: number, previous: number): void {
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
      for (let i = firstFull; i < end; i++) {
        const a = data[i - bpp];
        const b = data[i + up];
        const c = data[i + up - bpp];
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        data[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
  }
}

/** pngjs always gives RGBA (uint8, or uint16 for 16-bit files with skipRescale); reduce it to gray. */
function toGray(rgba: Buffer | Uint16Array, header: PngHeader): Image2D<Uint8Array | Uint16Array> {
  const { width, height, bitDepth, colorType } = header;
  const n = width * height;
  const isColor = colorType === PNG_COLOR_TYPES.rgb || colorType === PNG_COLOR_TYPES.rgba || colorType === PNG_COLOR_TYPES.palette;
  // Palette entries are always 8-bit RGB, whatever the index depth (PNG spec 11.2.3).
  const wide = bitDepth === 16;
  const out = wide ? new Uint16Array(n) : new Uint8Array(n);
  if (isColor) {
    for (let i = 0, p = 0; i < n; i++, p += 4) out[i] = luma(rgba[p], rgba[p + 1], rgba[p + 2]);
  } else {
    // Gray and gray+alpha: the gray sample; depths below 8 are scaled to 0..255 as Pillow does.
    const scale = !wide && bitDepth < 8 ? 255 / (2 ** bitDepth - 1) : 1;
    for (let i = 0, p = 0; i < n; i++, p += 4) out[i] = rgba[p] * scale;
  }
  return { width, height, data: out };
}

/**
 * ITU-R 601 luma as Pillow computes it (libImaging/Convert.c, L24): 16.16 fixed point, rounded half up.
 * Exact in float64 for 16-bit samples too (the sum stays below 2^33).
 */
export function luma(r: number, g: number, b: number): number {
  return Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
}

// ---------------------------------------------------------------------------------------------------
// Encoding

/** 16-bit gray through pngjs, Paeth rows (the 8-bit kinds have their own writer, `encode8Bit`). */
function encodeGray16(width: number, height: number, data: Buffer, options: EncodePngOptions): Uint8Array {
  const { level, strategy } = zlibSettings(options);
  // pngjs's PNG constructor would allocate an RGBA buffer of the full size; fill in the fields instead.
  const PNG = pngjsPng();
  const png = new PNG();
  png.width = width;
  png.height = height;
  png.data = data;
  const format = { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 16 } as const;
  return PNG.sync.write(png, { ...format, deflateLevel: level, deflateStrategy: strategy, filterType: PAETH_FILTER });
}

/**
 * 8-bit gray (the batch's hot path) and RGBA (colormapped panels): Paeth rows filtered here and
 * deflated in one call, written as signature, IHDR, one IDAT and IEND. The bytes are those pngjs
 * writes for the same settings (a test compares them); filtering through pngjs took about twice the
 * time of the deflate.
 */
function encode8Bit(width: number, height: number, data: Uint8Array, colorType: 0 | 6, options: EncodePngOptions): Uint8Array {
  const idat = deflateSync(paethFilter(data, width, height, colorType === 6 ? 4 : 1), zlibSettings(options));
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = colorType; // compression 0, filter 0, no interlace follow as zeros
  const out = new Uint8Array(SIGNATURE.length + 3 * 12 + header.length + idat.length);
  out.set(SIGNATURE, 0);
  let offset = writeChunk(out, SIGNATURE.length, 'IHDR', header);
  offset = writeChunk(out, offset, 'IDAT', idat);
  writeChunk(out, offset, 'IEND', new Uint8Array(0));
  return out;
}

/** Writes one chunk (length, type, data, CRC over type and data) at `offset`; returns the offset after it. */
function writeChunk(out: Uint8Array, offset: number, type: string, data: Uint8Array): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset, data.length);
  for (let i = 0; i < 4; i++) out[offset + 4 + i] = type.charCodeAt(i);
  out.set(data, offset + 8);
  view.setUint32(offset + 8 + data.length, crc32(out.subarray(offset + 4, offset + 8 + data.length)));
  return offset + 12 + data.length;
}

/** The zlib settings for `level`, shared by both writers (see `pack`). */
function zlibSettings(options: EncodePngOptions): { level: number; strategy: number } {
  const { level } = options;
  if (level !== undefined && (!Number.isInteger(level) || level < 0 || level > 9)) {
    throw new RangeError(`PNG compression level must be an integer 0..9, got ${level}`);
  }
  // Paeth rows + Z_RLE (measured on a 1024x1024 X-ray: 20 ms, 338 KB) beat pngjs's adaptive filters at
  // level 9 (53 ms, 338 KB) and zlib's default strategy at level 6 (105 ms, 381 KB). An explicit level
  // uses zlib's default strategy, where the level matters (Z_RLE ignores it).
  return level === undefined ? { level: 6, strategy: Z_RLE } : { level, strategy: Z_DEFAULT_STRATEGY };
}

function checkEncodeSize(width: number, height: number, length: number, channels: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
  if (length !== width * height * channels) {
    throw new RangeError(`PNG data has ${length} values, expected ${width}x${height}x${channels} = ${width * height * channels}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** Turns a pngjs or zlib failure into a sentence about the file. */
function describeDecodeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create final Buffer|buffer length/i.test(message)) {
    return 'image data inflates to more bytes than the IHDR size allows (corrupt or malicious file)';
  }
  if (message === 'unexpected end of file' || code === 'Z_BUF_ERROR') {
    return 'truncated image data: the compressed IDAT stream ends early';
  }
  if (code.startsWith('Z_')) return `bad zlib data in IDAT (${message})`;
  const filter = /^Unrecognised filter type - (\d+)/.exec(message);
  if (filter) return `bad row filter type ${filter[1]} (PNG defines 0 to 4)`;
  if (/not in palette/.test(message)) return `${message} (the PLTE chunk has fewer entries)`;
  return `cannot decode PNG: ${message}`;
}

function fail(name: string, problem: string): never {
  throw new ImageFileError(name, problem);
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** A Buffer over the same memory (no copy), as pngjs wants Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
