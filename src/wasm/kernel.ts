/**
 * WebAssembly SIMD kernels for the CPU path's hottest loops (src/wasm/*.wat, assembled at build time
 * by scripts/build-wasm.mjs): each is bit-identical to the scalar TypeScript it replaces, which stays
 * as the fallback where WebAssembly SIMD is missing and as the reference the tests compare against.
 * A kernel works only in its own memory: callers copy data in and out (a row or a chunk at a time,
 * which stays in cache), and `reserve` may replace the memory's views.
 */

const PAGE_BYTES = 65536;

/** One instance of a kernel module and views of its memory. */
export class WasmKernel<Exports> {
  readonly exports: Exports;
  private readonly memory: WebAssembly.Memory;
  /** Views of the whole memory; replaced when it grows, so take them after `reserve`. */
  u8: Uint8Array;
  i32: Int32Array;
  f64: Float64Array;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {});
    this.exports = instance.exports as unknown as Exports;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.u8 = new Uint8Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
  }

  /**
   * Makes the memory at least `bytes` long (it grows, never shrinks); false when it cannot grow that
   * far (wasm32's 4 GiB, or the engine's own limit), and the caller then takes its scalar path.
   */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (have >= bytes) return true;
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
    this.u8 = new Uint8Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    return true;
  }
}

let enabled = true;

/**
 * A getter for this thread's instance of the module in `bytes`, compiled on first use; it returns
 * undefined where the module cannot run (see `compile`) or after `setCpuSimd(false)`.
 */
export function kernelLoader<Exports>(bytes: Uint8Array<ArrayBuffer>): () => WasmKernel<Exports> | undefined {
  let module: WebAssembly.Module | null | undefined;
  let kernel: WasmKernel<Exports> | undefined;
  return () => {
    if (!enabled) return undefined;
    if (module === undefined) module = compile(bytes);
    if (module === null) return undefined;
    kernel ??= new WasmKernel<Exports>(module);
    return kernel;
  };
}

/**
 * The module, or null where it cannot run here: no WebAssembly SIMD (validate() is false), or a page
 * whose Content-Security-Policy forbids compiling WebAssembly (the constructor throws).
 */
function compile(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
  try {
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}

/** Turns the WebAssembly SIMD kernels on (the default) or off, e.g. to compare them with the scalar loops. */
export function setCpuSimd(on: boolean): void {
  enabled = on;
}

/** wasm-feature-detect's SIMD probe: a function doing i32.const 0; i8x16.splat; i8x16.popcnt. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
let simdCompiles: boolean | undefined;

/** Whether the CPU path runs its hot loops in WebAssembly SIMD. */
export function cpuSimdActive(): boolean {
  simdCompiles ??= compile(SIMD_PROBE) !== null;
  return enabled && simdCompiles;
}
