/**
 * Tasks the batch sends to its worker threads (worker.ts) and what comes back. Plain data only: it
 * crosses the thread boundary by structured clone.
 *
 *   process: read + decode + compute on the CPU engine + encode + write, all in the worker (the CPU
 *            path: the main thread only orchestrates).
 *   decode:  read + decode; the pixels come back for the GPU engine on the main thread.
 *   encode:  scale/encode + write results the main thread computed.
 */
import type { OpRequest } from '../../filters/ops.js';
import type { StatsRecord } from '../../stats/record.js';
import type { OutputRecord } from './manifest.js';
import type { OutputFormat } from './output-plan.js';
import type { DecodeImageOptions } from '../../codecs/decode-image.js';
import type { ReadLimits } from '../read-limits.js';

export interface OutputTarget {
  request: OpRequest;
  /** Absolute path of the file to write. */
  file: string;
  /** Recorded in the manifest: relative to the output directory. */
  relativePath: string;
}

export interface SeriesFrameRequest {
  /** Longest side of the GIF frame; larger inputs are shrunk by averaging blocks of pixels. */
  maxSide: number;
}

/** What `--series` needs from each image: a small 8-bit frame and the input's statistics. */
export interface SeriesFrame {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** The input's statistics record (docs/stats.md); its `file` is filled in by the series writer. */
  stats: StatsRecord;
}

export interface EncodeSettings {
  format: OutputFormat;
  /** zlib level of PNG outputs; undefined: the encoder's default (run-length deflate, see src/io/png.ts). */
  pngLevel?: number;
}

export interface ProcessTask extends EncodeSettings {
  kind: 'process';
  /** Absolute path of the input file. */
  input: string;
  outputs: OutputTarget[];
  maxPixels: number;
  /** DICOM inputs: which values the pixels become, and the frame (defaults: display, 0). */
  dicomValues?: DecodeImageOptions['dicomValues'];
  frame?: number;
  limits?: ReadLimits;
  series?: SeriesFrameRequest;
}

export interface DecodeTask {
  kind: 'decode';
  input: string;
  maxPixels: number;
  /** DICOM inputs: which values the pixels become, and the frame (defaults: display, 0). */
  dicomValues?: DecodeImageOptions['dicomValues'];
  frame?: number;
  limits?: ReadLimits;
  series?: SeriesFrameRequest;
}

export interface EncodeTask extends EncodeSettings {
  kind: 'encode';
  width: number;
  height: number;
  /**
   * One result per output, in the same order: float values, or (PNG only) 8-bit pixels the GPU
   * already min-max scaled with the same rule as scaleToUint8.
   */
  results: (Float32Array | Float64Array | Uint8Array)[];
  outputs: OutputTarget[];
}

export type WorkerTask = ProcessTask | DecodeTask | EncodeTask;

/** An image that could not be done; `reason` says why, without the path (the manifest has it). */
export interface TaskFailure {
  ok: false;
  reason: string;
}

export interface ProcessResult {
  ok: true;
  width: number;
  height: number;
  outputs: OutputRecord[];
  decodeMs: number;
  computeMs: number;
  encodeMs: number;
  series?: SeriesFrame;
}

export interface DecodeResult {
  ok: true;
  width: number;
  height: number;
  pixels: Uint8Array | Uint16Array;
  decodeMs: number;
  series?: SeriesFrame;
}

export interface EncodeResult {
  ok: true;
  outputs: OutputRecord[];
  encodeMs: number;
}
