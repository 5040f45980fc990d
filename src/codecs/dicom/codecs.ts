/**
 * Decoders for encapsulated frames (PS3.5 8.2 and Annex A.4). Each WebAssembly codec is imported on
 * the first frame that needs it, so reading a PNG or an uncompressed DICOM loads none of them.
 * In Node the Emscripten loaders find their .wasm beside themselves in node_modules; a browser
 * bundle must ship those .wasm files as assets (see docs/io.md).
 */
import type { PixelEncoding } from './transfer-syntax.js';
import { decodeRle } from './rle.js';
import { base64Bytes } from '../base64.js';

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
  /**
   * JPEG 2000 only: whether the codestream says its samples are signed, which wins over a
   * PixelRepresentation that disagrees (as pydicom's APPLY_J2K_CORRECTIONS does).
   */
  signed?: boolean;
}

/** What the codec needs to know from the header. */
export interface FrameGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  photometric: string;
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

/**
 * Instantiates an Emscripten codec with its WebAssembly bytes (embedded as base64 at build time, so
 * a page need not serve .wasm files) and quiet output: OpenJPEG prints progress lines to stdout,
 * which would mix with a CLI's output.
 */
async function emscripten<M>(glue: Promise<{ default: (options?: object) => Promise<M> }>, wasmBase64: Promise<string>): Promise<M> {
  const [factory, base64] = await Promise.all([glue, wasmBase64]);
  return factory.default({ wasmBinary: base64Bytes(base64), print: () => {}, printErr: () => {} });
}

const jpegTurbo = once(
  async () =>
    (await emscripten(import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'), import('../libjpeg-turbo-wasm.generated.js').then((m) => m.LIBJPEG_TURBO_DECODE_WASM_BASE64)))
      .JPEGDecoder,
);
const charls = once(
  async () => (await emscripten(import('@cornerstonejs/codec-charls/decodewasmjs'), import('../charls-wasm.generated.js').then((m) => m.CHARLS_DECODE_WASM_BASE64))).JpegLSDecoder,
);
const openjpeg = once(
  async () => (await emscripten(import('@cornerstonejs/codec-openjpeg/decodewasmjs'), import('../openjpeg-wasm.generated.js').then((m) => m.OPENJPEG_DECODE_WASM_BASE64))).J2KDecoder,
);
const jpegLossless = once(async () => (await import('@cornerstonejs/jpeg-lossless-decoder-js')).Decoder);

/** Runs one of the Emscripten decoders and copies its output out of WebAssembly memory. */
function runEmscripten<D extends EmscriptenDecoder>(decoder: D, frame: Uint8Array, after?: (decoder: D) => boolean) {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width === 0 || info.height === 0) throw new FrameDecodeError('the codec could not read the frame header');
    const decoded = decoder.getDecodedBuffer();
    const bytes = decoded.slice();
    const planar = after?.(decoder) ?? false;
    const samples =
      info.bitsPerSample > 8
        ? info.isSigned
          ? new Int16Array(bytes.buffer, 0, bytes.length >> 1)
          : new Uint16Array(bytes.buffer, 0, bytes.length >> 1)
        : bytes;
    return { samples, width: info.width, height: info.height, components: info.componentCount, planar, signed: info.isSigned };
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

/** Component identifiers libjpeg reads as "no colour transform" (jdapimin.c default_decompress_parms). */
const RGB_IDS = [0x52, 0x47, 0x42]; // 'R', 'G', 'B'

/**
 * A JPEG whose DICOM header says RGB, with neither a JFIF (APP0) nor an Adobe (APP14) marker, whose
 * components are not numbered 1, 2, 3 (JFIF's YCbCr numbering) and are not subsampled, holds RGB
 * samples; libjpeg would take them for YCbCr unless the components are named 'R', 'G', 'B'. Returns a
 * copy so named (SOF and every SOS), or the frame itself when the rule does not apply.
 */
export function markAsRgb(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  const ids = new Map<number, number>();
  let i = 2;
  while (i + 4 <= out.length) {
    if (out[i] !== 0xff) return frame;
    const marker = out[i + 1];
    if (marker === 0xd9) break;
    const length = (out[i + 2] << 8) | out[i + 3];
    if (marker === 0xe0 || marker === 0xee) return frame; // JFIF or Adobe: libjpeg knows the colour space
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const count = out[i + 9];
      if (count !== 3) return frame;
      const jfifNumbering = out[i + 10] === 1 && out[i + 13] === 2 && out[i + 16] === 3;
      const subsampled = out[i + 11] !== out[i + 14] || out[i + 11] !== out[i + 17];
      if (jfifNumbering || subsampled) return frame;
      for (let k = 0; k < 3; k++) {
        ids.set(out[i + 10 + 3 * k], RGB_IDS[k]);
        out[i + 10 + 3 * k] = RGB_IDS[k];
      }
    }
    if (marker === 0xda) {
      const count = out[i + 4];
      for (let k = 0; k < count; k++) out[i + 5 + 2 * k] = ids.get(out[i + 5 + 2 * k]) ?? out[i + 5 + 2 * k];
      // Skip the entropy-coded data: up to the next marker that is not a stuffed 0xFF00 or a restart.
      i += 2 + length;
      while (i + 1 < out.length && !(out[i] === 0xff && out[i + 1] !== 0 && (out[i + 1] < 0xd0 || out[i + 1] > 0xd7))) i++;
      continue;
    }
    i += 2 + length;
  }
  return out;
}

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
      const rgb = geometry.photometric === 'RGB' && geometry.samplesPerPixel === 3;
      const { signed: _, ...decoded } = runEmscripten(new (await jpegTurbo())(), rgb ? markAsRgb(frame) : frame);
      return { ...decoded, colourConverted: true };
    }
    case 'jpeg-ls': {
      const { signed: _, ...decoded } = runEmscripten(new (await charls())(), frame, (d) => d.getInterleaveMode() === 0);
      return { ...decoded, colourConverted: false };
    }
    case 'jpeg-lossless': {
      const Decoder = await jpegLossless();
      const decoder = new Decoder();
      const bytesPerSample = geometry.bitsAllocated <= 8 ? 1 : 2;
      const samples = decoder.decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, bytesPerSample);
      return { samples, width: geometry.columns, height: geometry.rows, components: decoder.numComp, planar: false, colourConverted: false };
    }
    case 'jpeg2000': {
      return { ...runEmscripten(new (await openjpeg())(), frame), colourConverted: true };
    }
  }
}
