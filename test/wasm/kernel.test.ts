/**
 * The WebAssembly kernels' memory: growth beyond what wasm32 allows is refused without harm, and every
 * user of a kernel then takes its scalar path, with the same results.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlate1d } from '../../src/cpu/correlate.js';
import { computePngLevels } from '../../src/cpu/fast/png-levels.js';
import { gaussianKernel1d } from '../../src/filters/gaussian.js';
import { paethFilter, paethFilterScalar } from '../../src/io/paeth-filter.js';
import { CORRELATE_SPAN_WASM } from '../../src/wasm/correlate-span.generated.js';
import { WasmKernel, kernelLoader, setCpuSimd } from '../../src/wasm/kernel.js';

function bytes(length: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}

describe('WasmKernel', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    setCpuSimd(true);
  });

  it('refuses to grow past 4 GiB and keeps its memory usable', () => {
    const kernel = new WasmKernel(new WebAssembly.Module(CORRELATE_SPAN_WASM));
    expect(kernel.reserve(1 << 20)).toBe(true);
    kernel.u8[12345] = 7;
    expect(kernel.reserve(5 * 2 ** 30)).toBe(false);
    expect(kernel.u8[12345]).toBe(7);
    expect(kernel.u8.length).toBeGreaterThanOrEqual(1 << 20);
  });

  it('gives no kernel where the module cannot be compiled (no SIMD, or a CSP forbidding WebAssembly)', () => {
    const garbage = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]);
    expect(kernelLoader(garbage)()).toBeUndefined(); // validate() is false
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(true);
    expect(kernelLoader(garbage)()).toBeUndefined(); // the constructor throws
    vi.restoreAllMocks();
    expect(kernelLoader(CORRELATE_SPAN_WASM)()).toBeInstanceOf(WasmKernel);
  });

  it('falls back to the scalar loops, same results, when no kernel memory can be had', () => {
    const width = 41;
    const height = 23;
    const image = { width, height, data: bytes(width * height, 5) };
    const input = Float64Array.from(image.data);
    const weights = Array.from(gaussianKernel1d(2, 1, 8));
    const requests = [{ op: 'gaussian-laplace', sigma: 1 }, { op: 'sobel-magnitude' }, { op: 'mask' }] as const;
    const withSimd = {
      rows: correlate1d(input, width, height, weights, 1, 'reflect'),
      columns: correlate1d(input, width, height, weights, 0, 'constant', 3),
      paeth: paethFilter(image.data, width, height, 1),
      levels: computePngLevels(image, [...requests]),
    };
    const reserve = vi.spyOn(WasmKernel.prototype, 'reserve').mockReturnValue(false);
    expect(correlate1d(input, width, height, weights, 1, 'reflect')).toEqual(withSimd.rows);
    expect(correlate1d(input, width, height, weights, 0, 'constant', 3)).toEqual(withSimd.columns);
    expect(paethFilter(image.data, width, height, 1)).toEqual(paethFilterScalar(image.data, width, height, 1));
    expect(paethFilter(image.data, width, height, 1)).toEqual(withSimd.paeth);
    expect(computePngLevels(image, [...requests])).toEqual(withSimd.levels);
    expect(reserve).toHaveBeenCalled();
  });
});
