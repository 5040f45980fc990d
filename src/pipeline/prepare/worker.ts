/**
 * prepare's worker thread (run by piscina from dist/src/pipeline/prepare/worker.js): read, decode and
 * run one image through the stages, so that every core works on images while the main thread walks,
 * writes shard rows and records (with the GPU engine: read and decode only, compute.ts). An unreadable, corrupt or unsuitable input comes back as
 * `{ ok: false, reason }`; anything else is a bug and is thrown.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { ImageFileError } from '../../io/errors.js';
import { readImageFile } from '../../io/image-file.js';
import { scaleToLevels } from '../../cpu/fast/levels.js';
import { prepareImage } from './stages.js';
import type { PrepareDecoding, PrepareSettings } from './settings.js';

export interface PrepareTask {
  /** Absolute path of the input file. */
  input: string;
  settings: PrepareSettings;
  maxPixels: number;
  dicomValues: PrepareDecoding['dicomValues'];
  frame: number;
  /** Only read and decode: `bytes` are the 8-bit levels, for the GPU engine on the main thread. */
  decodeOnly?: boolean;
}

export type PrepareTaskResult =
  | { ok: true; width: number; height: number; bytes: Uint8Array; decodeMs: number; computeMs: number }
  | { ok: false; reason: string };

export default async function runTask(task: PrepareTask): Promise<PrepareTaskResult | ReturnType<typeof move>> {
  const start = performance.now();
  let image;
  try {
    image = await readImageFile(task.input, { maxPixels: task.maxPixels, dicomValues: task.dicomValues, frame: task.frame });
  } catch (error) {
    if (error instanceof ImageFileError) return { ok: false, reason: error.problem };
    throw error;
  }
  // The stages work on levels 0..255 (as the NIH PNGs are): other values are scaled by their range.
  const levels = image.data instanceof Uint8Array ? image.data : scaleToLevels(image.data);
  const decoded = performance.now();
  const pixels = task.decodeOnly ? levels : prepareImage({ width: image.width, height: image.height, data: levels }, task.settings);
  // The row moves to the main thread rather than being copied: a buffer of its own, transferred.
  const whole = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength;
  const bytes = whole ? new Uint8Array(pixels.buffer) : new Uint8Array(pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength));
  const result: PrepareTaskResult = { ok: true, width: image.width, height: image.height, bytes, decodeMs: decoded - start, computeMs: performance.now() - decoded };
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result });
}
