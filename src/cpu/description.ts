/** The CPU engine's name, in a module of its own: the pools that run it in workers name it without loading it. */
import { cpuSimdActive } from '../wasm/kernel.js';

/** "cpu (float64 reference, WebAssembly SIMD)", or without the SIMD part where the scalar loops run. */
export function cpuEngineDescription(): string {
  return `cpu (float64 reference${cpuSimdActive() ? ', WebAssembly SIMD' : ''})`;
}
