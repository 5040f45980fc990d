/**
 * The GPU engine as the benchmark builds it: on its own Dawn instance with exact timestamps.
 * Dawn rounds timestamp queries to multiples of 2^16 ns (65.5 us) unless its
 * `timestamp_quantization` feature is disabled, and kernels on a real GPU often take less than that.
 */
import { existsSync } from 'node:fs';
import { createGpuEngine, type GpuEngine } from '../gpu/engine.js';
import { describeGpu } from '../gpu/info.js';
import { SWIFTSHADER_ICD, dawn, nodeGpuBackend, swiftShaderFallback } from '../platform/node-gpu.js';
import type { AdapterDescription } from './results.js';

export const BENCH_DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization'] as const;

export interface BenchGpu {
  engine: GpuEngine;
  adapter: AdapterDescription;
  /** Disposes the engine and drops the Dawn instance so that the process can exit. */
  release(): Promise<void>;
}

/** Creates a Dawn instance with exact timestamps and the GPU engine on it; throws when there is no adapter. */
export async function createBenchGpu(log: (line: string) => void): Promise<BenchGpu> {
  // As nodeGpu() does: WebGPU's globals, and SwiftShader when nothing else is configured.
  const { create, globals } = dawn();
  Object.assign(globalThis, globals);
  const icd = swiftShaderFallback(process.env);
  if (icd) process.env.VK_ICD_FILENAMES = icd;
  let gpu: GPU | undefined = create([...BENCH_DAWN_FLAGS]);
  // Mesa's Intel/Radeon ICDs are often installed where no such GPU exists; they yield no adapter, and
  // the loader reads VK_ICD_FILENAMES anew for each instance, so SwiftShader can still be tried.
  if (!(await gpu.requestAdapter()) && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    gpu = create([...BENCH_DAWN_FLAGS]);
    log(`bench: the installed Vulkan drivers gave no adapter; trying SwiftShader (${SWIFTSHADER_ICD})`);
  }
  const described = await describeGpu(gpu, { backendHint: nodeGpuBackend() });
  const engine = await createGpuEngine({ gpu, log });
  const adapter: AdapterDescription = {
    summary: described.summary,
    vendor: described.vendor,
    architecture: described.architecture,
    device: described.device,
    description: described.description,
    backend: described.backend,
    isSwiftShader: described.isSwiftShader,
    isSoftware: described.isSoftware,
    timestamps: engine.hasTimestamps,
  };
  return {
    engine,
    adapter,
    async release() {
      await engine.dispose();
      gpu = undefined;
    },
  };
}
