/**
 * Engine choice for the CLI and the pipeline (Node only: it loads Dawn).
 *   cpu:  the float64 reference engine.
 *   gpu:  any WebGPU adapter, SwiftShader included (said plainly: it is a CPU emulation).
 *   auto: a hardware GPU if there is one, else the CPU engine; one line says which was chosen.
 */
import type { Engine } from './engine.js';
import { createCpuEngine } from './cpu/engine.js';
import { createGpuEngine } from './gpu/engine.js';
import { nodeGpu } from './platform/node-gpu.js';
import { MissingPackageError } from './platform/optional-package.js';

import { type EngineChoice } from './engine-choice.js';

export { ENGINE_CHOICES, type EngineChoice, validateEngineChoice } from './engine-choice.js';

/** Options of `selectEngine`. */
export interface SelectEngineOptions {
  /** Receives the one line naming the engine chosen (default: nothing is printed). */
  log?: (line: string) => void;
}

/** The engine for `choice`: `auto` takes a hardware GPU, else the CPU engine; `gpu` any adapter; `cpu` the CPU engine. */
export async function selectEngine(choice: EngineChoice, options: SelectEngineOptions = {}): Promise<Engine> {
  const log = options.log ?? (() => {});
  if (choice === 'cpu') {
    const engine = createCpuEngine();
    log(`engine: ${engine.description}`);
    return engine;
  }
  if (choice === 'gpu') {
    return createGpuEngine({ gpu: nodeGpu(), log });
  }
  try {
    return await createGpuEngine({ gpu: nodeGpu(), requireHardware: true, log });
  } catch (error) {
    const engine = createCpuEngine();
    const why = error instanceof Error ? error.message : String(error);
    // Without Dawn there is no GPU to look for: say what is missing rather than "no hardware GPU".
    const reason = error instanceof MissingPackageError ? `the optional package \`${error.packageName}\` is not installed` : why;
    log(`engine: ${engine.description}; auto: ${reason}`);
    return engine;
  }
}
