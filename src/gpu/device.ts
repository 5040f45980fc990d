/**
 * Adapter and device acquisition: the limits xray-gpu asks for, the optional timestamp-query
 * feature, and the test for software adapters (SwiftShader, CPU fallbacks) that `requireHardware`
 * refuses.
 */

/** Limits raised to what the adapter offers, so large images fit (defaults: 128 MiB bindings). */
const REQUESTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

export interface AcquiredDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: GPUAdapterInfo;
  /** True when the device was created with 'timestamp-query'. */
  timestamps: boolean;
  software: boolean;
}

/** Whether an adapter is a software rasteriser (SwiftShader, a CPU "fallback" adapter, lavapipe). */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  // `isFallbackAdapter` moved from the adapter to its info in the spec; Dawn builds differ.
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const type = (info as { type?: string }).type;
  return fallback || type === 'cpu' || text.includes('swiftshader') || text.includes('llvmpipe') || text.includes('lavapipe');
}

export function isSwiftShader(info: GPUAdapterInfo): boolean {
  return `${info.vendor} ${info.architecture} ${info.description}`.toLowerCase().includes('swiftshader');
}

/**
 * Requests an adapter and a device with raised limits. Throws when there is no adapter, or when
 * `requireHardware` is set and the adapter is a software one.
 */
export async function acquireDevice(gpu: GPU, requireHardware: boolean): Promise<AcquiredDevice> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter available (on Linux without a GPU, set VK_ICD_FILENAMES to SwiftShader)');
  const software = isSoftwareAdapter(adapter);
  if (requireHardware && software) {
    throw new Error(`no hardware GPU: the only adapter is ${adapterLabel(adapter.info)}`);
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    label: 'xray-gpu device',
    requiredLimits,
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
  });
  return { adapter, device, info: adapter.info, timestamps, software };
}

/** "vendor architecture (description)" with the empty parts left out. */
export function adapterName(info: GPUAdapterInfo): string {
  const head = [info.vendor, info.architecture, info.device].filter((s) => s).join(' ');
  const description = info.description && info.description !== head ? info.description : '';
  return [head, description && `(${description})`].filter((s) => s).join(' ') || 'unknown adapter';
}

/** The adapter in words for a person: SwiftShader's identifiers ("swiftshader-device-subzero-") are noise. */
export function adapterLabel(info: GPUAdapterInfo): string {
  return isSwiftShader(info) ? SWIFTSHADER_LABEL : adapterName(info);
}

const SWIFTSHADER_LABEL = 'SwiftShader (Vulkan, CPU emulation)';

/** The one line an engine logs: says plainly when the "GPU" is SwiftShader's CPU emulation. */
export function describeAdapterLine(acquired: Pick<AcquiredDevice, 'info' | 'software'>): string {
  if (isSwiftShader(acquired.info)) return `gpu: ${SWIFTSHADER_LABEL}, correct but slower than the cpu engine`;
  const name = adapterName(acquired.info);
  return acquired.software ? `gpu: ${name} — a software adapter, correct but slow` : `gpu: ${name}`;
}
