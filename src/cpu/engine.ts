// PLACEHOLDER created by the lead so that other modules can import the signature; the CPU-engine helper replaces it.
import type { Engine } from '../engine.js';

/** The float64 reference engine (scipy.ndimage semantics). */
export function createCpuEngine(): Engine {
  throw new Error('CPU engine not implemented yet');
}
