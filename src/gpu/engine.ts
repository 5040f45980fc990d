// PLACEHOLDER created by the lead so that other modules can import the signature; the GPU-engine helper replaces it.
import type { Engine } from '../engine.js';

export interface GpuEngineOptions {
  /** The WebGPU entry point: `navigator.gpu` in a browser, Dawn's `create()` in Node (see src/platform/node-gpu.ts). */
  gpu: GPU;
  /** Refuse software adapters such as SwiftShader. */
  requireHardware?: boolean;
  /** Called once with a line describing the adapter, e.g. to print which engine runs. */
  log?: (line: string) => void;
}

export async function createGpuEngine(_options: GpuEngineOptions): Promise<Engine> {
  throw new Error('GPU engine not implemented yet');
}
