/**
 * Compute pipelines, compiled once per device and kept in a WeakMap keyed by the device, so a lost
 * device takes its cache with it. Every kernel module is `common.wgsl` followed by its own file.
 */
import { SHADERS } from './shaders.generated.js';

const pipelineCache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
const moduleCache = new WeakMap<GPUDevice, Map<string, GPUShaderModule>>();

/** The source of a kernel file (shaders/NAME.wgsl) with the shared helpers in front. */
export function kernelSource(shader: string): string {
  const body = SHADERS[shader];
  if (body === undefined) {
    throw new Error(`no shader named ${shader}; embedded: ${Object.keys(SHADERS).join(', ')} (run scripts/embed-shaders.mjs)`);
  }
  return `${SHADERS.common}\n${body}`;
}

/** The pipeline for `entryPoint` of shaders/`shader`.wgsl on `device`, compiled on first use. */
export function getPipeline(device: GPUDevice, shader: string, entryPoint: string): GPUComputePipeline {
  const key = `${shader}:${entryPoint}`;
  let pipelines = pipelineCache.get(device);
  if (!pipelines) {
    pipelines = new Map();
    pipelineCache.set(device, pipelines);
  }
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    pipeline = device.createComputePipeline({
      label: `xray-gpu ${key}`,
      layout: 'auto',
      compute: { module: getModule(device, shader), entryPoint },
    });
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

function getModule(device: GPUDevice, shader: string): GPUShaderModule {
  let modules = moduleCache.get(device);
  if (!modules) {
    modules = new Map();
    moduleCache.set(device, modules);
  }
  let module = modules.get(shader);
  if (!module) {
    module = device.createShaderModule({ label: `xray-gpu ${shader}.wgsl`, code: kernelSource(shader) });
    modules.set(shader, module);
  }
  return module;
}
