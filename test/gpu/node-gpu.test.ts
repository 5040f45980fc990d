/** nodeGpu's choice of Vulkan driver: SwiftShader only when nothing else could give an adapter. */
import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD, swiftShaderFallback, withSwiftShaderRetry } from '../../src/platform/node-gpu.js';

function fakeFs(files: Record<string, string[]>, swiftShader = true) {
  return {
    exists: (path: string) => (path === SWIFTSHADER_ICD ? swiftShader : path in files),
    list: (dir: string) => files[dir] ?? [],
  };
}

describe('swiftShaderFallback', () => {
  it('points the Vulkan loader at SwiftShader when no driver is installed', () => {
    expect(swiftShaderFallback({}, fakeFs({}))).toBe(SWIFTSHADER_ICD);
  });

  it('ignores lavapipe, which is too old for Dawn in Debian 12', () => {
    expect(swiftShaderFallback({}, fakeFs({ '/usr/share/vulkan/icd.d': ['lvp_icd.x86_64.json'] }))).toBe(SWIFTSHADER_ICD);
  });

  it('leaves the loader alone when another driver is installed', () => {
    expect(swiftShaderFallback({}, fakeFs({ '/etc/vulkan/icd.d': ['nvidia_icd.json'] }))).toBeUndefined();
    const radeon = { '/usr/share/vulkan/icd.d': ['radeon_icd.x86_64.json', 'lvp_icd.x86_64.json'], '/dev/dri': ['card0', 'renderD128'] };
    expect(swiftShaderFallback({}, fakeFs(radeon))).toBeUndefined();
  });

  it("passes over Mesa's hardware drivers on a machine without a DRM render node (they find no GPU, and the loader says so on stderr)", () => {
    const icds = { '/usr/share/vulkan/icd.d': ['intel_icd.x86_64.json', 'radeon_icd.x86_64.json', 'lvp_icd.x86_64.json'] };
    expect(swiftShaderFallback({}, fakeFs(icds))).toBe(SWIFTSHADER_ICD);
    expect(swiftShaderFallback({}, fakeFs({ ...icds, '/dev/dri': ['card0'] }))).toBe(SWIFTSHADER_ICD);
    expect(swiftShaderFallback({}, fakeFs({ ...icds, '/etc/vulkan/icd.d': ['nvidia_icd.json'] }))).toBeUndefined();
  });

  it('respects VK_ICD_FILENAMES and VK_DRIVER_FILES when set', () => {
    expect(swiftShaderFallback({ VK_ICD_FILENAMES: '/x.json' }, fakeFs({}))).toBeUndefined();
    expect(swiftShaderFallback({ VK_DRIVER_FILES: '/x.json' }, fakeFs({}))).toBeUndefined();
  });

  it('does nothing when SwiftShader is not installed', () => {
    expect(swiftShaderFallback({}, fakeFs({}, false))).toBeUndefined();
  });
});

describe('nodeGpu', () => {
  it('returns one cached instance, and refuses different Dawn flags while it exists', async () => {
    const { nodeGpu, releaseNodeGpu } = await import('../../src/platform/node-gpu.js');
    try {
      const first = nodeGpu();
      expect(nodeGpu()).toBe(first);
      expect(() => nodeGpu(['disable-dawn-features=timestamp_quantization'])).toThrow(
        /already created Dawn with flags \[\]; call releaseNodeGpu\(\) before asking for \[disable-dawn-features=timestamp_quantization\]/,
      );
      releaseNodeGpu();
      expect(nodeGpu(['disable-dawn-features=timestamp_quantization'])).not.toBe(first);
    } finally {
      releaseNodeGpu();
    }
  });
});

describe('withSwiftShaderRetry', () => {
  const fakeGpu = (adapter: GPUAdapter | null, calls: string[], name: string): GPU => ({
    __brand: 'GPU',
    wgslLanguageFeatures: new Set() as unknown as WGSLLanguageFeatures,
    getPreferredCanvasFormat: () => 'rgba8unorm',
    requestAdapter: async () => {
      calls.push(name);
      return adapter;
    },
  });
  const adapter = { label: 'fake' } as unknown as GPUAdapter;

  it('asks the fallback instance only when the installed drivers give no adapter, and keeps using it', async () => {
    const calls: string[] = [];
    let created = 0;
    const gpu = withSwiftShaderRetry(fakeGpu(null, calls, 'primary'), () => {
      created++;
      return fakeGpu(adapter, calls, 'swiftshader');
    });
    expect(await gpu.requestAdapter()).toBe(adapter);
    expect(await gpu.requestAdapter()).toBe(adapter);
    expect(calls).toEqual(['primary', 'swiftshader', 'swiftshader']);
    expect(created).toBe(1);
  });

  it('never creates the fallback when the installed drivers give an adapter', async () => {
    const calls: string[] = [];
    const gpu = withSwiftShaderRetry(fakeGpu(adapter, calls, 'primary'), () => {
      throw new Error('fallback created');
    });
    expect(await gpu.requestAdapter()).toBe(adapter);
    expect(calls).toEqual(['primary']);
  });
});

describe('quietVulkanEnv', () => {
  it('gives Dawn a private XDG_RUNTIME_DIR only when none (or a relative one) is set, and skips lavapipe unless the user chose drivers', async () => {
    const { quietVulkanEnv, LAVAPIPE_DISABLE_PATTERN } = await import('../../src/platform/quiet-vulkan.js');
    const dir = () => '/tmp/private';
    expect(quietVulkanEnv({}, dir)).toEqual({ XDG_RUNTIME_DIR: '/tmp/private', VK_LOADER_DRIVERS_DISABLE: LAVAPIPE_DISABLE_PATTERN });
    expect(quietVulkanEnv({ XDG_RUNTIME_DIR: 'run' }, dir).XDG_RUNTIME_DIR).toBe('/tmp/private');
    expect(quietVulkanEnv({ XDG_RUNTIME_DIR: '/run/user/1000', VK_ICD_FILENAMES: '/x.json' }, dir)).toEqual({});
    expect(quietVulkanEnv({ XDG_RUNTIME_DIR: '/run/user/1000', VK_LOADER_DRIVERS_DISABLE: '' }, dir)).toEqual({});
  });
});
