/**
 * Decoders for encapsulated frames (PS3.5 8.2 and Annex A.4). Each WebAssembly codec is imported on
 * the first frame that needs it, so reading a PNG or an uncompressed DICOM loads none of them.
 * In Node the Emscripten loaders find their .wasm beside themselves in node_modules; a browser
 * bundle must ship those .wasm files as assets (see docs/io.md).
 */
import type { PixelEncoding } from './transfer-syntax.js';
import { decodeRle } from './rle.js';

/** Samples of one frame as the codec gave them: bit patterns, `components` per pixel. */
export interface DecodedSamples {
  samples: Uint8Array | Uint16Array | Int16Array | Uint32Array;
  width: number;
  height: number;
  components: number;
  /** Samples stored plane by plane (RRR..GGG..BBB) rather than pixel by pixel. */
  planar: boolean;
  /** The codec already turned YCbCr into RGB (JPEG colour transforms, JPEG 2000 MCT). */
  colourConverted: boolean;
}

/** What the codec needs to know from the header. */
export interface FrameGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

type Loaded<T> = () => Promise<T>;

function once<T>(load: () => Promise<T>): Loaded<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load().catch((error: unknown) => {
      promise = undefined;
      throw error;
    });
    return promise;
  };
}

/** Emscripten module options: OpenJPEG prints progress lines to stdout, which would mix with a CLI's output. */
const quiet = { print: () => {}, printErr: () => {} };

const jpegTurbo = once(async () => (await (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default(quiet)).JPEGDecoder);
const charls = once(async () => (await (await import('@cornerstonejs/codec-charls/decodewasmjs')).default(quiet)).JpegLSDecoder);
const openjpeg = once(async () => (await (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default(quiet)).J2KDecoder);
const jpegLossless = once(async () => (await import('jpeg-lossless-decoder-js')).Decoder);

/** Runs one of the Emscripten decoders and copies its output out of WebAssembly memory. */
function runEmscripten<D extends EmscriptenDecoder>(decoder: D, frame: Uint8Array, after?: (decoder: D) => boolean) {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer();
    const bytes = decoded.slice();
    const planar = after?.(decoder) ?? false;
    const samples =
      info.bitsPerSample > 8
        ? info.isSigned
          ? new Int16Array(bytes.buffer, 0, bytes.length >> 1)
          : new Uint16Array(bytes.buffer, 0, bytes.length >> 1)
        : bytes;
    return { samples, width: info.width, height: info.height, components: info.componentCount, planar };
  } finally {
    decoder.delete();
  }
}

/**
 * The precision (bits per sample) in a JPEG stream's start-of-frame marker, or undefined if there is
 * none: libjpeg-turbo's 8-bit build cannot decode 12-bit (Extended, process 4) frames.
 */
export function jpegPrecision(frame: Uint8Array): number | undefined {
  let i = 2;
  while (i + 4 < frame.length) {
    if (frame[i] !== 0xff) return undefined;
    const marker = frame[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return frame[i + 4];
    i += 2 + ((frame[i + 2] << 8) | frame[i + 3]);
  }
  return undefined;
}

export class FrameDecodeError extends Error {}

/** Decodes one encapsulated frame with the codec its transfer syntax names. */
export async function decodeFrame(encoding: Exclude<PixelEncoding, 'native'>, frame: Uint8Array, geometry: FrameGeometry): Promise<DecodedSamples> {
  switch (encoding) {
    case 'rle':
      return { ...decodeRle(frame, geometry), colourConverted: false };
    case 'jpeg': {
      const precision = jpegPrecision(frame);
      if (precision !== undefined && precision !== 8) {
        throw new FrameDecodeError(`${precision}-bit lossy JPEG (process 4) is not supported, only 8-bit`);
      }
      return { ...runEmscripten(new (await jpegTurbo())(), frame), colourConverted: true };
    }
    case 'jpeg-ls':
      return { ...runEmscripten(new (await charls())(), frame, (d) => d.getInterleaveMode() === 0), colourConverted: false };
    case 'jpeg2000':
      return { ...runEmscripten(new (await openjpeg())(), frame), colourConverted: true };
    case 'jpeg-lossless': {
      const Decoder = await jpegLossless();
      const decoder = new Decoder();
      const bytesPerSample = geometry.bitsAllocated <= 8 ? 1 : 2;
      const samples = decoder.decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, bytesPerSample);
      return { samples, width: geometry.columns, height: geometry.rows, components: decoder.numComp, planar: false, colourConverted: false };
    }
  }
}
