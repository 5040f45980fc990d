/**
 * JPEG decoding (ITU T.81), browser-safe: libjpeg-turbo compiled to WebAssembly
 * (@cornerstonejs/codec-libjpeg-turbo-8bit), the library Pillow uses, so the pixels are Pillow's
 * exactly (test/golden/jpeg). Its 300 KB of WebAssembly travel as base64 in a generated module (no
 * .wasm file to serve), about 110 KB gzipped with the glue, imported on the first JPEG, never with the
 * root entry. (The package's single-file build is asm.js: 160 KB gzipped and 2-3x slower.)
 *
 * Gives a uint8 `Image2D`, as Pillow's `Image.open(f).convert("L")`:
 *   - gray (1 component)      -> the samples as decoded
 *   - colour (3 components)   -> libjpeg-turbo's RGB, then luma L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16
 * Baseline, extended and progressive files, any chroma subsampling, restart markers. Refused with a
 * one-line `ImageFileError`: other sample precisions (12-bit), 2 or 4 components (CMYK), sizes over
 * `maxPixels` (read from the frame header before decoding), truncated and corrupt files.
 */
import type { LibjpegTurbo } from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import type { Image2D } from '../image.js';
import { ImageFileError, pixelLimitProblem } from './errors.js';
import { DEFAULT_MAX_PIXELS, luma } from './png.js';
import { base64Bytes } from './base64.js';

export interface DecodeJpegOptions {
  /** Refuse images with more pixels than this, before decoding (default `DEFAULT_MAX_PIXELS`). */
  maxPixels?: number;
}

/** What the frame header (SOF) says. */
export interface JpegHeader {
  width: number;
  height: number;
  /** Bits per sample: 8 for nearly every file; 12 and 16 exist in medical imaging. */
  precision: number;
  components: number;
  /** The SOF marker's coding process, e.g. "baseline". */
  process: string;
}

/** Coding processes by SOF marker (T.81 table B.1); C4 (DHT), C8 (JPG) and CC (DAC) are not frames. */
const SOF_PROCESSES: Record<number, string> = {
  0xc0: 'baseline',
  0xc1: 'extended sequential',
  0xc2: 'progressive',
  0xc3: 'lossless',
  0xc5: 'differential sequential',
  0xc6: 'differential progressive',
  0xc7: 'differential lossless',
  0xc9: 'extended sequential, arithmetic',
  0xca: 'progressive, arithmetic',
  0xcb: 'lossless, arithmetic',
  0xcd: 'differential sequential, arithmetic',
  0xce: 'differential progressive, arithmetic',
  0xcf: 'differential lossless, arithmetic',
};
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/**
 * Reads the markers up to the frame header (SOF) and checks what this decoder needs: 8-bit samples,
 * 1 or 3 components, a size within `maxPixels`. Cheap; decodes nothing.
 */
export function readJpegHeader(bytes: Uint8Array, name: string, maxPixels: number): JpegHeader {
  if (bytes.length === 0) fail(name, 'not a JPEG file (the file is empty)');
  if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== SOI || bytes[2] !== 0xff) fail(name, 'not a JPEG file (no SOI marker FF D8 at the start)');
  let offset = 2;
  for (;;) {
    const marker = markerAt(bytes, offset, name);
    offset = marker.next;
    if (marker.code === EOI) fail(name, 'the JPEG ends (EOI) before any frame header: no image in the file');
    if (marker.code === SOS) fail(name, 'corrupt JPEG: a scan (SOS) comes before the frame header (SOF)');
    if (!(marker.code in SOF_PROCESSES)) continue;
    if (marker.length < 8) fail(name, `corrupt JPEG: frame header of ${marker.length} bytes (at least 8 needed)`);
    const at = marker.dataStart;
    const header: JpegHeader = {
      precision: bytes[at],
      height: (bytes[at + 1] << 8) | bytes[at + 2],
      width: (bytes[at + 3] << 8) | bytes[at + 4],
      components: bytes[at + 5],
      process: SOF_PROCESSES[marker.code],
    };
    checkHeader(header, name, maxPixels);
    return header;
  }
}

/** Decodes a JPEG file to a uint8 gray image, as the module comment says. */
export async function decodeJpeg(bytes: Uint8Array, name: string, options: DecodeJpegOptions = {}): Promise<Image2D<Uint8Array>> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = readJpegHeader(bytes, name, maxPixels);
  const codec = await libjpegTurbo(name);
  const decoder = new codec.JPEGDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    try {
      decoder.decode();
    } catch (error) {
      throw new ImageFileError(name, describeDecodeFailure(bytes, header), { cause: error });
    }
    const { width, height, componentCount } = decoder.getFrameInfo();
    if (width !== header.width || height !== header.height || componentCount !== header.components) {
      fail(name, `corrupt JPEG: decoded ${width}x${height}x${componentCount}, but the frame header says ${header.width}x${header.height}x${header.components}`);
    }
    const decoded = decoder.getDecodedBuffer();
    const n = width * height;
    // Copy out: the decoded buffer is a view of wasm memory (a Uint8ClampedArray), reused by the next decode.
    if (componentCount === 1) return { width, height, data: new Uint8Array(decoded.subarray(0, n)) };
    const out = new Uint8Array(n);
    for (let i = 0, p = 0; i < n; i++, p += 3) out[i] = luma(decoded[p], decoded[p + 1], decoded[p + 2]);
    return { width, height, data: out };
  } finally {
    decoder.delete();
  }
}

function checkHeader(header: JpegHeader, name: string, maxPixels: number): void {
  const { width, height, precision, components, process } = header;
  if (width === 0) fail(name, 'zero width in the JPEG frame header');
  if (height === 0) fail(name, 'zero height in the JPEG frame header (a height given later by a DNL marker is not supported)');
  if (precision !== 8) fail(name, `${precision}-bit JPEG (${process}) is not supported: only 8-bit samples`);
  if (components !== 1 && components !== 3) {
    const kind = components === 4 ? ' (CMYK or YCCK)' : '';
    fail(name, `JPEG with ${components} components${kind} is not supported: only gray (1) and colour (3)`);
  }
  const overLimit = pixelLimitProblem(width, height, maxPixels);
  if (overLimit) fail(name, overLimit);
}

interface Marker {
  code: number;
  /** Segment length (the 2 length bytes included); 0 for markers without a segment. */
  length: number;
  dataStart: number;
  /** Where the next marker starts. */
  next: number;
}

/** The marker at `offset` and its segment (T.81 B.1.1.2-B.1.1.4); fill bytes FF before a marker are skipped. */
function markerAt(bytes: Uint8Array, offset: number, name: string): Marker {
  if (offset >= bytes.length) fail(name, `truncated: the JPEG ends after ${bytes.length} bytes, before its frame header`);
  if (bytes[offset] !== 0xff) fail(name, `corrupt JPEG: expected a marker at byte ${offset}, found 0x${bytes[offset].toString(16).padStart(2, '0')}`);
  while (offset < bytes.length && bytes[offset] === 0xff) offset++;
  if (offset >= bytes.length) fail(name, `truncated: the JPEG ends after ${bytes.length} bytes, inside a marker`);
  const code = bytes[offset];
  const dataStart = offset + 3;
  // Standalone markers: TEM, RSTn, SOI, EOI.
  if (code === 0x01 || (code >= 0xd0 && code <= 0xd9)) return { code, length: 0, dataStart: offset + 1, next: offset + 1 };
  if (offset + 2 >= bytes.length) fail(name, `truncated: the JPEG ends after ${bytes.length} bytes, inside a marker`);
  const length = (bytes[offset + 1] << 8) | bytes[offset + 2];
  if (length < 2) fail(name, `corrupt JPEG: marker FF ${code.toString(16).toUpperCase()} at byte ${offset - 1} has length ${length}`);
  const next = offset + 1 + length;
  if (next > bytes.length) {
    fail(name, `truncated: marker FF ${code.toString(16).toUpperCase()} at byte ${offset - 1} declares ${length} bytes, but only ${bytes.length - offset - 1} remain`);
  }
  return { code, length, dataStart, next };
}

/** libjpeg-turbo throws bare numbers: say what is likeliest from the file itself. */
function describeDecodeFailure(bytes: Uint8Array, header: JpegHeader): string {
  if (!hasEndMarker(bytes)) return 'truncated: the JPEG data ends before its end-of-image marker (FF D9)';
  return `corrupt JPEG data (${header.process}, ${header.width}x${header.height}): libjpeg-turbo cannot decode it`;
}

/** An EOI marker (FF D9) at the end, allowing for trailing padding after it. */
function hasEndMarker(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 4096); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === EOI) return true;
  }
  return false;
}

let codecPromise: Promise<LibjpegTurbo> | undefined;

/** The WebAssembly codec, instantiated once on the first JPEG. */
function libjpegTurbo(name: string): Promise<LibjpegTurbo> {
  codecPromise ??= Promise.all([
    import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'),
    import('./libjpeg-turbo-wasm.generated.js'),
  ]).then(([glue, wasm]) =>
    // print/printErr: libjpeg-turbo's warnings would otherwise go to the console, mixed with a CLI's output.
    glue.default({ wasmBinary: base64Bytes(wasm.LIBJPEG_TURBO_DECODE_WASM_BASE64), print: () => {}, printErr: () => {} }),
  );
  return codecPromise.catch((error: unknown) => {
    codecPromise = undefined;
    const why = error instanceof Error ? error.message : String(error);
    throw new ImageFileError(name, `cannot load the JPEG decoder (@cornerstonejs/codec-libjpeg-turbo-8bit): ${why}`, { cause: error });
  });
}

function fail(name: string, problem: string): never {
  throw new ImageFileError(name, problem);
}
