/**
 * Where prepare's images are computed (Node only: worker threads, Dawn):
 *   cpu:  each image is one worker task (read, decode, stages on the CPU engine), one per core.
 *   gpu:  workers read and decode; the main thread owns one GPU device and runs the images' stages
 *         in one submit per batch (gpu-stages.ts). Decoding the next images overlaps the GPU work:
 *         the runner keeps several images in flight, and those decoded while a batch runs make up
 *         the next one (gpu-queue.ts).
 *   auto: a hardware GPU if there is one (as `batch` chooses, select-engine.ts), else as cpu.
 */
import { Piscina } from 'piscina';
import { poolWorkerExecArgv } from '../../platform/worker-exec-argv.js';
import { cpuEngineDescription } from '../../cpu/description.js';
import type { GpuEngine } from '../../gpu/engine.js';
import type { EngineChoice } from '../../engine-choice.js';
import type { PrepareTask, PrepareTaskResult } from './worker.js';

/** Next to this file in dist/: worker.ts compiled. Tests and the CLI run the built code. */
const WORKER_FILE = new URL('./worker.js', import.meta.url).href;

/** Runs one input through prepare's stages on the chosen engine. */
export interface PrepareCompute {
  /** The engine line: printed, and recorded as the shards' "made by". */
  readonly description: string;
  /** The input's shard row bytes, or why it failed (`{ ok: false }`); throws only on bugs. */
  run(input: string): Promise<PrepareTaskResult>;
  /** Ends the worker threads and releases the GPU device. */
  close(): Promise<void>;
}

/** What every worker task holds besides its input: the stages' settings and how to decode. */
export type PrepareTaskBase = Omit<PrepareTask, 'input' | 'decodeOnly'>;

/** prepare's worker threads; every engine decodes in them. */
export type PrepareWorkers = Piscina<PrepareTask, PrepareTaskResult>;

/**
 * Starts `jobs` worker threads. The runner starts them first, so that they boot (a fraction of a
 * second each) while it lists the inputs and picks the engine.
 */
export function startWorkers(jobs: number): PrepareWorkers {
  return new Piscina<PrepareTask, PrepareTaskResult>({
    filename: WORKER_FILE,
    minThreads: jobs,
    maxThreads: jobs,
    // Two tasks per thread: one reading its file while the other computes.
    concurrentTasksPerWorker: 2,
    idleTimeout: 60_000,
    execArgv: poolWorkerExecArgv(),
  });
}

/**
 * Picks the engine for `choice`, logging the engine line as `batch` does; `gpu` with no adapter throws.
 * The compute owns `pool` from here on: `close` ends it (on a throw too).
 */
export async function createPrepareCompute(choice: EngineChoice, pool: PrepareWorkers, base: PrepareTaskBase, log: (line: string) => void): Promise<PrepareCompute> {
  const jobs = pool.options.maxThreads;
  const threads = `${jobs} worker thread${jobs === 1 ? '' : 's'}`;
  const inWorkers = `${cpuEngineDescription()} in ${threads}`;
  if (choice === 'cpu') {
    log(`engine: ${inWorkers}`);
    return cpuCompute(inWorkers, pool, base);
  }
  try {
    // The GPU modules (and Dawn) load only for an engine that may use them.
    const [{ GpuEngine }, { selectEngine }] = await Promise.all([import('../../gpu/engine.js'), import('../../select-engine.js')]);
    const engine = await selectEngine(choice, { log });
    if (!(engine instanceof GpuEngine)) {
      // auto fell back to the CPU engine: run it in the workers rather than on this thread.
      await engine.dispose();
      return cpuCompute(inWorkers, pool, base);
    }
    return await gpuCompute(`${engine.description}; decoding in ${threads}`, engine, pool, base);
  } catch (error) {
    await pool.destroy();
    throw error;
  }
}

function cpuCompute(description: string, pool: PrepareWorkers, base: PrepareTaskBase): PrepareCompute {
  return {
    description,
    run: (input) => pool.run({ ...base, input }),
    close: () => pool.destroy(),
  };
}

async function gpuCompute(description: string, engine: GpuEngine, pool: PrepareWorkers, base: PrepareTaskBase): Promise<PrepareCompute> {
  const [{ GpuPrepareQueue }, { prepareImagesGpu }] = await Promise.all([import('./gpu-queue.js'), import('./gpu-stages.js')]);
  const queue = new GpuPrepareQueue((images) =>
    engine.withContext(`preparing ${images.length} image(s)`, (context) => prepareImagesGpu(context, images, base.settings)));
  return {
    description,
    async run(input) {
      const decoded = await pool.run({ ...base, input, decodeOnly: true });
      if (!decoded.ok) return decoded;
      const image = { width: decoded.width, height: decoded.height, data: decoded.bytes };
      const start = performance.now();
      let pixels;
      try {
        pixels = await queue.prepare(image);
      } catch (error) {
        // A refusal of this image (a size past the device's limits) or a device that could not be rebuilt.
        return { ok: false, reason: `GPU engine failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
      return { ok: true, width: image.width, height: image.height, bytes, decodeMs: decoded.decodeMs, computeMs: performance.now() - start };
    },
    async close() {
      await pool.destroy();
      await engine.dispose();
    },
  };
}
