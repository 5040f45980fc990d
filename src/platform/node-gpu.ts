/**
 * Dawn's WebGPU entry point for Node (npm `webgpu`), the only place xray-gpu touches Dawn.
 *
 * Without a GPU, Debian's chromium-common ships SwiftShader, a CPU implementation of Vulkan; when
 * VK_ICD_FILENAMES / VK_DRIVER_FILES are unset and no usable Vulkan driver is installed, the Vulkan
 * loader is pointed at it, so `--engine gpu` works on any machine with chromium-common. Mesa's
 * Intel/Radeon drivers are often installed where no such GPU exists: then the first adapter request
 * comes back empty and is retried once on a second instance pointed at SwiftShader (the loader reads
 * VK_ICD_FILENAMES anew for each instance).
 */
import { existsSync, readdirSync } from 'node:fs';
import type * as Dawn from 'webgpu';
import { MissingPackageError, isHidden, isNotFound } from './optional-package.js';

/** What needs `webgpu`, as the missing-package line says it. */
const NEEDED_FOR = 'the GPU engine in Node';

/**
 * Dawn, imported when this module loads (as a static import would, so nodeGpu() stays synchronous),
 * or why it could not be: `webgpu` is an optional dependency (src/platform/optional-package.ts).
 */
const dawnImport: { module: typeof Dawn } | { error: unknown } = await import('webgpu').then(
  (module) => ({ module }),
  (error: unknown) => ({ error }),
);

/** Dawn's `create` and `globals`; a one-line error saying what to install when `webgpu` is missing. */
export function dawn(): typeof Dawn {
  if (isHidden('webgpu')) throw new MissingPackageError('webgpu', NEEDED_FOR);
  if ('module' in dawnImport) return dawnImport.module;
  const { error } = dawnImport;
  if (isNotFound(error, 'webgpu')) throw new MissingPackageError('webgpu', NEEDED_FOR, { cause: error });
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  throw new Error(`${NEEDED_FOR} needs the optional package \`webgpu\`, which is installed but failed to load: ${why}`, { cause: error });
}

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const ICD_DIRECTORIES = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
/** Mesa's lavapipe in Debian 12 is too old for Dawn (no dynamic array indexing): it never yields an adapter. */
const UNUSABLE_ICD = /^lvp_icd\./;

let instance: GPU | undefined;
let instanceFlags = '';
let globalsInstalled = false;

/**
 * The process-wide Dawn instance (created on first use). Dawn keeps the process alive while it is
 * referenced: call `releaseNodeGpu()` after disposing the engines built on it.
 *
 * `flags` are Dawn's `create()` options, e.g. `disable-dawn-features=timestamp_quantization` for
 * exact kernel timings in benchmarks (Dawn rounds timestamps to 65.536 µs by default), or
 * `backend=null`. They apply when the instance is created; asking for other flags while it exists
 * is an error rather than silently ignored.
 */
export function nodeGpu(flags: readonly string[] = []): GPU {
  const key = flags.join('\n');
  if (instance) {
    if (key !== instanceFlags) {
      throw new Error(`nodeGpu() already created Dawn with flags [${instanceFlags.split('\n').filter(Boolean).join(', ')}]; call releaseNodeGpu() before asking for [${flags.join(', ')}]`);
    }
    return instance;
  }
  const { create, globals } = dawn();
  if (!globalsInstalled) {
    // GPUBufferUsage, GPUShaderStage, ... are globals in browsers; Dawn hands them over separately.
    Object.assign(globalThis, globals);
    globalsInstalled = true;
  }
  const icd = swiftShaderFallback(process.env);
  if (icd) process.env.VK_ICD_FILENAMES = icd;
  const primary = create([...flags]);
  const retry = !icd && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD);
  instance = retry
    ? withSwiftShaderRetry(primary, () => {
        process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
        return create([...flags]);
      })
    : primary;
  instanceFlags = key;
  return instance;
}

/** Drops the cached Dawn instance so the process can exit; a later `nodeGpu()` creates a new one. */
export function releaseNodeGpu(): void {
  instance = undefined;
  instanceFlags = '';
}

/** The API Dawn uses on this platform, for `describeGpu`'s backend field. */
export function nodeGpuBackend(): string {
  if (process.platform === 'darwin') return 'metal';
  if (process.platform === 'win32') return 'd3d12';
  return 'vulkan';
}

/**
 * SwiftShader's ICD path when the Vulkan loader would otherwise find no usable driver: the
 * environment names none, SwiftShader is installed, and the ICD directories hold no driver but
 * lavapipe. Exported for tests.
 */
export function swiftShaderFallback(
  env: Record<string, string | undefined>,
  fs: { exists(path: string): boolean; list(dir: string): string[] } = defaultFs,
): string | undefined {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return undefined;
  if (!fs.exists(SWIFTSHADER_ICD)) return undefined;
  const otherDrivers = ICD_DIRECTORIES.flatMap((dir) => (fs.exists(dir) ? fs.list(dir) : []))
    .filter((name) => name.endsWith('.json') && !UNUSABLE_ICD.test(name));
  return otherDrivers.length === 0 ? SWIFTSHADER_ICD : undefined;
}

/**
 * `primary`, except that an adapter request it answers with null is retried on the instance
 * `createFallback` makes (once, on first need). Exported for tests.
 */
export function withSwiftShaderRetry(primary: GPU, createFallback: () => GPU): GPU {
  let fallback: GPU | undefined;
  return {
    __brand: 'GPU',
    get wgslLanguageFeatures() {
      return primary.wgslLanguageFeatures;
    },
    getPreferredCanvasFormat: () => primary.getPreferredCanvasFormat(),
    async requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
      if (!fallback) {
        const adapter = await primary.requestAdapter(options);
        if (adapter) return adapter;
        fallback = createFallback();
      }
      return fallback.requestAdapter(options);
    },
  };
}

const defaultFs = {
  exists: (path: string) => existsSync(path),
  list: (dir: string) => readdirSync(dir),
};
