/**
 * Animated GIFs of 8-bit gray image series (a patient's follow-ups), written with gifenc.
 *
 * Every frame shares one global colour table holding the 256 grays (level v -> (v, v, v)), so the
 * pixel bytes are written as palette indices unchanged: no quantisation, no dithering, no loss.
 */
import { createRequire } from 'node:module';
import { stackImages, type Image2D } from '../image.js';

// gifenc ships a CommonJS build (Node's `main`) and an ESM build (bundlers' `module`) whose default
// exports differ, and Node cannot see the CommonJS build's named exports from ESM; requiring it
// always loads the CommonJS build, the same object under Node and under vitest.
const { GIFEncoder } = createRequire(import.meta.url)('gifenc') as typeof import('gifenc');

/** Options of `encodeGrayGif`. */
export interface GrayGifOptions {
  /** Time each frame is shown, in milliseconds (GIF stores hundredths of a second: rounded to 10 ms). Default 500. */
  delayMs?: number;
  /** true (default): loop forever; false: play once. */
  loop?: boolean;
  /** Frame names for error messages (e.g. file names); default "frame i". */
  names?: readonly string[];
}

/** GIF's delay field is an unsigned 16-bit count of hundredths of a second. */
const MAX_DELAY_MS = 0xffff * 10;
/** GIF's logical screen size fields are unsigned 16-bit. */
const MAX_SIDE = 0xffff;

const GRAY_PALETTE: number[][] = Array.from({ length: 256 }, (_, v) => [v, v, v]);

/**
 * Encodes same-sized 8-bit gray frames, in order, as one animated GIF (GIF89a) and returns its bytes.
 * Frames that differ in size are an error naming the first frame and the one that differs.
 */
export function encodeGrayGif(frames: readonly Image2D<Uint8Array>[], options: GrayGifOptions = {}): Uint8Array {
  const { delayMs = 500, loop = true, names } = options;
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    throw new RangeError(`GIF frame delay must be between 0 and ${MAX_DELAY_MS} ms, got ${delayMs}`);
  }
  if (frames.length === 0) throw new RangeError('a GIF needs at least one frame, got 0');
  const { width, height } = stackImages(frames, names);
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new RangeError(`GIF frames must be at most ${MAX_SIDE} pixels on a side, got ${width}x${height}`);
  }
  frames.forEach((frame, i) => {
    // The type says Uint8Array; JavaScript callers (or a cast) can still pass float pixels.
    const data: unknown = frame.data;
    if (!(data instanceof Uint8Array)) {
      const kind = Object.prototype.toString.call(data).slice(8, -1);
      throw new TypeError(`GIF frames must be 8-bit gray (Uint8Array), but ${names?.[i] ?? `frame ${i}`} holds ${kind}`);
    }
  });

  const encoder = GIFEncoder();
  frames.forEach((frame, i) => {
    encoder.writeFrame(frame.data, width, height, {
      // The palette on the first frame becomes the global colour table that every frame uses.
      palette: i === 0 ? GRAY_PALETTE : undefined,
      delay: delayMs,
      repeat: loop ? 0 : -1,
    });
  });
  encoder.finish();
  return encoder.bytes();
}
