/** `xray-gpu run INPUTS... --out DIR`: the whole tutorial per image, with figures and a report. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { checkInputsExist, checkOutNotAnInput } from '../pipeline/input-checks.js';
import { expandInputs } from '../pipeline/inputs.js';
import { runTutorial } from '../pipeline/run.js';
import { type TutorialStageKey, runStages } from '../pipeline/tutorial.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { frameDurationOption } from './animate.js';
import { RUN_BYTES_PER_PIXEL } from '../filters/memory.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { type InputFlags, UsageError, checkDisplayRange, dicomValuesOption, engineOption, frameOption, logToStderr, maxPixelsOption, parseNumber, parsePercentiles, readOptionsOf } from './options.js';
import { loadColormaps } from '../render/colormap.js';
import { type TutorialFlags, addTutorialOptions, tutorialParams } from './tutorial-options.js';
import { requireCanvas } from '../render/canvas.js';

interface RunFlags extends TutorialFlags, InputFlags {
  out?: string;
  outputs?: TutorialStageKey[];
  report: boolean;
  figures: boolean;
  vmin?: number;
  vmax?: number;
  clipPercentile?: [number, number];
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
    .addOption(new Option('--outputs <list>', `the filter outputs to compute and write, comma-separated (default: all): ${RUN_STAGE_KEYS.join(', ')}`).argParser(parseOutputs))
    .option('--npy', 'also write the raw float32 results as .npy')
    .option('--no-report', 'skip report.html (per image, and the top one for several images)')
    .option('--no-figures', 'skip comparison.png, histogram.png and series-strip.png')
    .addOption(new Option('--vmin <v>', "the value every filter panel shows as its lowest colour (imshow's vmin; default: each output's min)").argParser(parseNumber))
    .addOption(new Option('--vmax <v>', "the value every filter panel shows as its highest colour (imshow's vmax; default: each output's max)").argParser(parseNumber))
    .addOption(new Option('--clip-percentile <low,high>', "colour each filter panel over these percentiles of its own values, e.g. 1,99 (default: none, the full range)").argParser(parsePercentiles))
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
  checkDisplayRange(flags);
  const log = flags.quiet ? () => {} : logToStderr;
  await checkInputsExist(inputs);
  try {
    await checkOutNotAnInput(inputs, flags.out);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  // Colormaps beyond the built-in tables are loaded once, before any image.
  await loadColormaps([...flags.sobelCmaps, ...flags.cannyCmaps]);
  const files = await expandInputs(inputs);
  const engine = await selectEngine(flags.engine, { log });
  try {
    const summary = await runTutorial(files.map((path) => ({ path })), {
      outDir: flags.out,
      engine,
      params: tutorialParams(flags),
      npy: flags.npy,
      stages: flags.outputs,
      report: flags.report,
      figures: flags.figures,
      display: Object.fromEntries(Object.entries({ vmin: flags.vmin, vmax: flags.vmax, clipPercentile: flags.clipPercentile }).filter(([, v]) => v !== undefined)),
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

/** The outputs `run` can write, by op name, in the order it shows them. */
const RUN_STAGE_KEYS: readonly TutorialStageKey[] = runStages().map((stage) => stage.key);

/** "NAME[,NAME...]": distinct names among RUN_STAGE_KEYS. */
function parseOutputs(value: string): TutorialStageKey[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(RUN_STAGE_KEYS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown output "${name}"; accepted: ${RUN_STAGE_KEYS.join(', ')}.`);
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new InvalidArgumentError(`output "${repeated}" is named twice in "${value}".`);
  return names as TutorialStageKey[];
}
