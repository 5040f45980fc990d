/**
 * The one way GPU tests get a device: one engine per test file (created in beforeAll, disposed in
 * afterAll along with the Dawn instance), tests skipped when there is no adapter unless
 * XRAY_REQUIRE_GPU=1 (then the file fails), and every test wrapped in a validation error scope that
 * must come back empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GpuEngine, type GpuEngineOptions, createGpuEngine } from '../../src/gpu/engine.js';
import { nodeGpu, releaseNodeGpu } from '../../src/platform/node-gpu.js';

export const REQUIRE_GPU = process.env.XRAY_REQUIRE_GPU === '1';

export interface GpuTestContext {
  engine: GpuEngine;
  /** The device the validation scope was pushed on (the engine's, when the test started). */
  device: GPUDevice;
}

export interface GpuSuite {
  /** Like vitest's `it`, with the engine handed in; skipped when no GPU is available. */
  it(name: string, body: (context: GpuTestContext) => Promise<void>, timeoutMs?: number): void;
  /** The engine, once beforeAll has run (undefined when no GPU is available). */
  readonly engine: GpuEngine | undefined;
}

/** Registers beforeAll/afterAll hooks for a GPU engine made with `options`; call at the top of a test file. */
export function useGpuEngine(options: Omit<GpuEngineOptions, 'gpu'> = {}): GpuSuite {
  let engine: GpuEngine | undefined;
  let unavailable = 'not initialised';

  beforeAll(async () => {
    try {
      engine = await createGpuEngine({ ...options, gpu: nodeGpu() });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (REQUIRE_GPU) throw new Error(`XRAY_REQUIRE_GPU=1 but no GPU engine could be created: ${why}`, { cause: error });
      unavailable = why;
      console.warn(`GPU tests skipped: ${why}`);
    }
  });

  afterAll(async () => {
    await engine?.dispose();
    engine = undefined;
    releaseNodeGpu();
  });

  return {
    get engine() {
      return engine;
    },
    it(name, body, timeoutMs) {
      it(name, async (context) => {
        if (!engine) {
          context.skip(`no GPU adapter: ${unavailable}`);
          return;
        }
        const device = engine.device;
        device.pushErrorScope('validation');
        let failure: unknown;
        try {
          await body({ engine, device });
        } catch (error) {
          failure = error;
        }
        const validationError = await device.popErrorScope();
        if (failure !== undefined) throw failure;
        expect(validationError?.message ?? null, 'WebGPU validation error').toBeNull();
      }, timeoutMs);
    },
  };
}
