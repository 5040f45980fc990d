/**
 * prepare's worker thread (run by piscina from dist/src/pipeline/prepare/worker.js): read, decode and
 * run one image through the stages, so that every core works on images while the main thread walks,
 * writes shard rows and records (with the GPU engine: read and decode only, compute.ts). An unreadable, corrupt or unsuitable input comes back as
 * `{ ok: false, reason }`; anything else is a bug and is thrown.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { ImageFileError } from '../../io/errors.js';
import { readImageFile } from '../../io/image-file.js';
import { prepareImage } from './stages.js';
import type { PrepareSettings } from './settings.js';

export interface PrepareTask {
  /** Absolute path of the input file. */
  input: string;
  settings: PrepareSettings;
  maxPixels: number;
  /** Only read and decode: `bytes` are the 8-bit pixels, for the GPU engine on the main thread. */
  decodeOnly?: boolean;
}

export type PrepareTaskResult =
  | { ok: true; width: number; height: number; bytes: Uint8Array; decodeMs: number; computeMs: number }
  | { ok: false; reason: string };

export default async function runTask(task: PrepareTask): Promise<PrepareTaskResult | ReturnType<typeof move>> {
  const start = performance.now();
  let image;
  try {
    image = await readImageFile(task.input, { maxPixels: task.maxPixels });
  } catch (error) {
    if (error instanceof ImageFileError) return { ok: false, reason: error.problem };
    throw error;
  }
  if (!(image.data instanceof Uint8Array)) {
    // Normalisation and CLAHE are defined on levels 0..255 (as the NIH PNGs are).
    return { ok: false, reason: `expected 8-bit gray pixels, got ${image.data.constructor.name} (prepare takes 8-bit images)` };
  }
  const decoded = performance.now();
  const pixels = task.decodeOnly ? image.data : prepareImage({ width: image.width, height: image.height, data: image.data }, task.settings);
  // The row moves to the main thread rather than being copied: a buffer of its own, transferred.
  const whole = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength;
  const bytes = whole ? new Uint8Array(pixels.buffer) : new Uint8Array(pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength));
  const result: PrepareTaskResult = { ok: true, width: image.width, height: image.height, bytes, decodeMs: decoded - start, computeMs: performance.now() - decoded };
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result });
}
