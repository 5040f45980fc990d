/** `xray-gpu run INPUTS... --out DIR`: the whole tutorial per image, with figures and a report. */
import type { Command } from 'commander';
import { checkInputsExist, checkOutNotAnInput } from '../pipeline/input-checks.js';
import { expandInputs } from '../pipeline/inputs.js';
import { runTutorial } from '../pipeline/run.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { frameDurationOption } from './animate.js';
import { RUN_BYTES_PER_PIXEL } from '../filters/memory.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { type InputFlags, UsageError, dicomValuesOption, engineOption, frameOption, logToStderr, maxPixelsOption, readOptionsOf } from './options.js';
import { type TutorialFlags, addTutorialOptions, tutorialParams } from './tutorial-options.js';
import { requireCanvas } from '../render/canvas.js';

interface RunFlags extends TutorialFlags, InputFlags {
  out?: string;
  engine: EngineChoice;
  npy?: boolean;
  duration: number;
  quiet?: boolean;
  maxFileSize?: number;
  maxMemory?: number;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description("the tutorial's outputs for each image: filters as PNGs, histogram, stats.json, comparison figure, report.html; a series GIF for several images")
    .argument('<inputs...>', 'PNG, JPEG, DICOM or .npy images, or directories of them (natural order)')
    .option('--out <dir>', 'output folder (required)')
    .addOption(engineOption())
    .option('--npy', 'also write the raw float32 results as .npy')
    .addOption(frameDurationOption('series GIF frame time'))
    .option('--quiet', 'print nothing but errors')
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption());
  addTutorialOptions(command).action(async (inputs: string[], flags: RunFlags) => runCommand(inputs, flags));
}

async function runCommand(inputs: string[], flags: RunFlags): Promise<void> {
  if (flags.out === undefined) throw new UsageError('--out is required: the output folder');
  requireCanvas(); // figures: fail now, with one line, if @napi-rs/canvas is not installed
  const log = flags.quiet ? () => {} : logToStderr;
  await checkInputsExist(inputs);
  try {
    await checkOutNotAnInput(inputs, flags.out);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const files = await expandInputs(inputs);
  const engine = await selectEngine(flags.engine, { log });
  try {
    const summary = await runTutorial(files.map((path) => ({ path })), {
      outDir: flags.out,
      engine,
      params: tutorialParams(flags),
      npy: flags.npy,
      gifDelayMs: flags.duration,
      read: readOptionsOf(flags),
      limits: {
        maxFileBytes: flags.maxFileSize,
        memory: { what: 'run (the whole tutorial)', bytesPerPixel: RUN_BYTES_PER_PIXEL, budgetBytes: flags.maxMemory ?? defaultMemoryBudget(), flag: '--max-memory' },
      },
      log,
      logError: logToStderr,
    });
    if (summary.reportPath !== undefined) log(`report: ${summary.reportPath}`);
    const failedNames = summary.outcomes.filter((o) => o.error !== undefined).map((o) => o.name);
    if (failedNames.length > 0) {
      throw new Error(`${failedNames.length} of ${summary.outcomes.length} images failed: ${failedNames.join(', ')}`);
    }
    if (summary.failed > 0) throw new Error('the series GIF and strip could not be written (see above)');
  } finally {
    await engine.dispose();
    releaseNodeGpu();
  }
}
