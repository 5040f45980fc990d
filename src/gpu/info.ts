/**
 * What `xray-gpu info` prints about the WebGPU adapter: identity, backend, limits and features.
 */
import { adapterLabel, adapterName, isSoftwareAdapter, isSwiftShader } from './device.js';

/** What `describeGpu` reports about the adapter. */
export interface GpuDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Graphics API under WebGPU where the adapter says (Dawn reports e.g. "vulkan"), else "unknown". */
  backend: string;
  isSwiftShader: boolean;
  /** SwiftShader, lavapipe, or an adapter flagged as a CPU fallback. */
  isSoftware: boolean;
  /** One line, e.g. "NVIDIA ... (vulkan)". */
  summary: string;
  limits: Record<string, number>;
  features: string[];
}

/** Options of `describeGpu`. */
export interface DescribeGpuOptions {
  /**
   * The API under WebGPU when the caller knows it (Dawn in Node: Vulkan on Linux, see
   * `nodeGpuBackend()`); browsers do not say. Used when the adapter's own strings do not name one.
   */
  backendHint?: string;
}

/** Describes the adapter `gpu` offers; throws when there is none. */
export async function describeGpu(gpu: GPU, options: DescribeGpuOptions = {}): Promise<GpuDescription> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter available (on Linux without a GPU, set VK_ICD_FILENAMES to SwiftShader)');
  const info = adapter.info;
  const limits: Record<string, number> = {};
  // GPUSupportedLimits exposes its values as prototype getters, so walk the prototype's keys.
  for (const key in adapter.limits) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') limits[key] = value;
  }
  const backend = backendOf(info) ?? (isSwiftShader(info) ? 'vulkan' : options.backendHint ?? 'unknown');
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    backend,
    isSwiftShader: isSwiftShader(info),
    isSoftware: isSoftwareAdapter(adapter),
    summary: isSwiftShader(info) ? adapterLabel(info) : `${adapterName(info)} (${backend})`,
    limits,
    features: [...adapter.features].map(String).sort(),
  };
}

function backendOf(info: GPUAdapterInfo): string | undefined {
  // Dawn's description usually names the API, e.g. "Vulkan driver version ..." or "D3D12 ...".
  const text = `${info.description} ${(info as { backend?: string }).backend ?? ''}`.toLowerCase();
  for (const name of ['vulkan', 'metal', 'd3d12', 'd3d11', 'opengles', 'opengl']) {
    if (text.includes(name)) return name;
  }
  return undefined;
}
