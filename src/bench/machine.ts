/** The machine a benchmark ran on, as results.json records it. */
import { arch, cpus, release, totalmem, type } from 'node:os';
import { cpuSimdActive } from '../wasm/kernel.js';
import type { MachineDescription } from './results.js';

/** CPU model, logical cores, memory, OS, Node version and whether the CPU engine uses SIMD; the adapter and peers are filled in later. */
export function describeHost(): MachineDescription {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() || 'unknown CPU',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    cpuSimd: cpuSimdActive(),
    adapter: null,
    peers: {},
  };
}
