/** `xray-gpu run INPUTS... --out DIR`: the whole tutorial per image, with figures and a report. */
import { type Command, Option } from 'commander';
import { expandInputs } from '../pipeline/inputs.js';
import { runTutorial } from '../pipeline/run.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { UsageError, engineOption, logToStderr, maxPixelsOption, parseNonNegativeInteger } from './options.js';
import { type TutorialFlags, addTutorialOptions, tutorialParams } from './tutorial-options.js';

interface RunFlags extends TutorialFlags {
  out?: string;
  engine: EngineChoice;
  npy?: boolean;
  duration: number;
  quiet?: boolean;
  maxPixels?: number;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description("the tutorial's outputs for each image: filters as PNGs, histogram, stats.json, comparison figure, report.html; a series GIF for several images")
    .argument('<inputs...>', 'PNG or .npy images, or directories of them (natural order)')
    .option('--out <dir>', 'output folder (required)')
    .addOption(engineOption())
    .option('--npy', 'also write the raw float32 results as .npy')
    .addOption(new Option('--duration <ms>', 'series GIF frame time').argParser(parseNonNegativeInteger).default(500))
    .option('--quiet', 'print nothing but errors')
    .addOption(maxPixelsOption());
  addTutorialOptions(command).action(async (inputs: string[], flags: RunFlags) => runCommand(inputs, flags));
}

async function runCommand(inputs: string[], flags: RunFlags): Promise<void> {
  if (flags.out === undefined) throw new UsageError('--out is required: the output folder');
  const log = flags.quiet ? () => {} : logToStderr;
  const files = await expandInputs(inputs);
  const engine = await selectEngine(flags.engine, { log });
  try {
    const summary = await runTutorial(
      files.map((path) => ({ path })),
      { outDir: flags.out, engine, params: tutorialParams(flags), npy: flags.npy, gifDelayMs: flags.duration, maxPixels: flags.maxPixels, log },
    );
    log(`report: ${summary.reportPath}`);
    if (summary.failed > 0) {
      const names = summary.outcomes.filter((o) => o.error).map((o) => o.name);
      throw new Error(`${summary.failed} of ${summary.outcomes.length} images failed: ${names.join(', ')}`);
    }
  } finally {
    await engine.dispose();
    releaseNodeGpu();
  }
}
