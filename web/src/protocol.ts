/**
 * Messages between the page and the CPU engine's Web Worker (./worker.ts). Every request carries an
 * id; the worker answers it once, with the result or a one-line error.
 */
import type { ImageStats, OpRequest, PixelArray } from '../../src/index.js';

export interface WireImage {
  width: number;
  height: number;
  data: PixelArray;
}

export interface PanelJob {
  key: string;
  request: OpRequest;
  colormap: string;
}

export type WorkerRequest =
  | { id: number; type: 'describe' }
  | { id: number; type: 'compute'; image: WireImage; jobs: PanelJob[] }
  | { id: number; type: 'analyse'; image: WireImage; bins: number };

export interface WirePanel {
  key: string;
  /** The result's size: the image's, or the op's (resize). */
  width: number;
  height: number;
  values: Float32Array | Float64Array;
  rgba: Uint8Array;
}

export interface WireAnalysis {
  stats: ImageStats;
  counts: Uint32Array;
}

export type WorkerReply =
  | { id: number; ok: true; description: string; simd: boolean }
  | { id: number; ok: true; panels: WirePanel[] }
  | { id: number; ok: true; analysis: WireAnalysis }
  | { id: number; ok: false; error: string };
