/**
 * `xray-gpu prepare INPUT... --out DIR --size N|HxW [...]`: training-ready NumPy shards, index.csv and
 * prepare.json from a tree of chest X-rays (see docs/prepare.md). `xray-gpu prepare merge DIR` writes
 * the dataset's index.csv and prepare.json once every `--shard I/N` run is done.
 *
 * Exit status: 0 all done; 1 some image failed; 130 / 143 stopped by SIGINT / SIGTERM.
 */
import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { DEFAULT_MAX_PIXELS } from '../io/png.js';
import { chooseProgressMode } from '../pipeline/batch/progress.js';
import { parseShard } from '../pipeline/batch/shard.js';
import { StopController, exitCodeFor, handleStopSignals } from '../pipeline/batch/signals.js';
import { formatDuration } from '../pipeline/batch/tally.js';
import { readLabels, readSplits } from '../pipeline/prepare/labels.js';
import { type PrepareResult, mergePrepared, runPrepare } from '../pipeline/prepare/runner.js';
import {
  CROPS,
  type Crop,
  NORMALIZATIONS,
  type Normalization,
  RESIZES,
  type Resize,
  SHARD_DTYPES,
  type ShardDtype,
  parseKernel,
  parseSize,
} from '../pipeline/prepare/settings.js';
import type { EngineChoice } from '../engine-choice.js';
import { BatchExit } from './batch-exit.js';
import { DEFAULT_INPUT_KINDS, IMAGE_KINDS, parseInputKinds } from '../io/input-kinds.js';
import {
  type InputFlags,
  UsageError,
  dicomValuesOption,
  engineOption,
  frameOption,
  logToStderr,
  maxPixelsOption,
  parseNumber,
  parsePositiveInteger,
} from './options.js';

interface PrepareCliOptions extends InputFlags {
  out?: string;
  size?: string;
  resize: Resize;
  crop: Crop;
  clahe?: boolean;
  claheClip: number;
  claheKernel?: string;
  normalize: Normalization;
  dtype: ShardDtype;
  labels?: string;
  splits?: string;
  shardSize: number;
  engine: EngineChoice;
  jobs: number;
  resume?: boolean;
  shard?: string;
  inputs: string;
  quiet?: boolean;
}

export function registerPrepareCommand(program: Command): Command {
  const prepare = program
    .command('prepare')
    .description('resize (and optionally crop, CLAHE, normalise) every image into NumPy shards + index.csv for training; resumable and shardable')
    .argument('<inputs...>', 'directories (walked recursively for the --inputs kinds) and image files (PNG, JPEG, DICOM, .npy)')
    .option('--out <dir>', 'output directory (required)')
    .option('--size <N|HxW>', 'output size in pixels, rows x columns (required)')
    .addOption(new Option('--resize <method>', 'skimage: transform.resize, anti-aliased; area: cv2 INTER_AREA').choices(RESIZES).default('skimage'))
    .addOption(new Option('--crop <how>', "center: torchxrayvision's XRayCenterCrop (central square) before resizing").choices(CROPS).default('none'))
    .option('--clahe', 'skimage equalize_adapthist on the resized 8-bit image')
    .addOption(new Option('--clahe-clip <c>', 'with --clahe: clip_limit').argParser(parseNumber).default(0.01))
    .option('--clahe-kernel <K|KHxKW>', 'with --clahe: kernel_size (default 1/8 of each side)')
    .addOption(new Option('--normalize <how>', 'none: levels/values as they are; unit: x/255; xrv: torchxrayvision normalize(x, 255)').choices(NORMALIZATIONS).default('none'))
    .addOption(new Option('--dtype <dtype>', 'shard element type').choices(SHARD_DTYPES).default('float32'))
    .option('--labels <csv>', 'Data_Entry_2017.csv: adds patient, follow-up, view, age, sex and one 0/1 column per finding to index.csv (default: none, no label columns)')
    .option('--splits <lists>', 'comma-separated list files, e.g. train_val_list.txt,test_list.txt: adds a split column (default: none, no split column)')
    .addOption(new Option('--shard-size <n>', 'inputs per shard file').argParser(parsePositiveInteger).default(4096))
    .addOption(engineOption())
    .addOption(new Option('--jobs <n>', 'worker threads').argParser(parsePositiveInteger).default(availableParallelism()))
    .option('--resume', 'keep complete shards; needs the same settings and inputs as the run that made them')
    .option('--shard <spec>', 'I/N: this machine makes shards K with K mod N = I; auto or auto/N as batch (default: none, every shard)')
    .addOption(new Option('--inputs <kinds>', `the kinds of file a directory walk takes, comma-separated: ${IMAGE_KINDS.join(', ')}`).default(DEFAULT_INPUT_KINDS.join(',')))
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxPixelsOption())
    .option('--quiet', 'no progress and no summary (failures are in prepare.json and the exit status)')
    .action(async (inputs: string[], options: PrepareCliOptions, command: Command) => {
      const given = (name: keyof PrepareCliOptions) => command.getOptionValueSource(name) === 'cli';
      await runPrepareCommand(inputs, options, given);
    });

  prepare
    .command('merge')
    .description('write index.csv and prepare.json for DIR once every --shard I/N run is done')
    .argument('<dir>', 'the output directory all shards wrote to')
    .action(async (dir: string) => {
      const summary = await mergePrepared(dir);
      process.stdout.write(`merged ${summary.shards.length} shard(s): ${summary.images} images, ${summary.failed.length} failed, into ${dir}\n`);
    });
  return prepare;
}

async function runPrepareCommand(inputs: string[], options: PrepareCliOptions, given: (name: keyof PrepareCliOptions) => boolean): Promise<void> {
  if (options.out === undefined) throw new UsageError('--out is required: the output directory');
  if (options.size === undefined) throw new UsageError('--size is required: N or HxW, e.g. --size 224');
  for (const name of ['claheClip', 'claheKernel'] as const) {
    if (given(name) && !options.clahe) throw new UsageError(`--${name === 'claheClip' ? 'clahe-clip' : 'clahe-kernel'} is used by --clahe only; add --clahe`);
  }
  let size;
  let shard;
  let kernelSize;
  let inputKinds;
  try {
    size = parseSize(options.size);
    kernelSize = options.claheKernel === undefined ? undefined : parseKernel(options.claheKernel);
    shard = options.shard === undefined ? undefined : parseShard(options.shard);
    inputKinds = parseInputKinds(options.inputs);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const labels = options.labels === undefined ? undefined : await readLabels(options.labels);
  const splits = options.splits === undefined ? undefined : await readSplits(options.splits.split(',').filter((f) => f !== ''));
  const log = options.quiet ? () => {} : logToStderr;
  const stop = new StopController();
  const removeHandlers = handleStopSignals(stop, {
    onFirst: (signal) => log(`prepare: ${signal}: finishing the images in flight, then stopping (send it again to stop at once)`),
    onSecond: (signal) => {
      // Shards are renamed into place only when whole; the next run removes temporary files.
      logToStderr(`prepare: ${signal} again: stopping now`);
      process.exit(exitCodeFor({ failed: 0, stoppedBy: signal }));
    },
  });
  let result: PrepareResult;
  try {
    result = await runPrepare({
      inputs,
      outputDir: options.out,
      settings: {
        ...size,
        resize: options.resize,
        crop: options.crop,
        clahe: options.clahe ? { clipLimit: options.claheClip, kernelSize } : undefined,
        normalize: options.normalize,
        dtype: options.dtype,
      },
      shardSize: options.shardSize,
      engine: options.engine,
      jobs: options.jobs,
      resume: options.resume === true,
      shard,
      decode: { inputs: inputKinds, dicomValues: options.dicomValues, frame: options.frame },
      labels,
      splits,
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
      progress: chooseProgressMode(options.quiet === true),
      log,
      stop,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, { cause: error });
    throw error;
  } finally {
    removeHandlers();
  }
  if (!options.quiet) {
    const { ok, failed, skipped } = result;
    process.stdout.write(
      `prepare: ${ok + failed + skipped} images: ${ok} ok, ${failed} failed, ${skipped} skipped (complete shards) in ` +
        `${formatDuration(result.elapsedMs)} (${result.imagesPerSecond.toFixed(2)} images/s, ${result.engine})\n` +
        `shards: ${result.shards.written} written, ${result.shards.owned - result.shards.written} already complete` +
        (result.dataset ? `; dataset: ${result.dataset.images} images in ${result.dataset.shards.length} shard(s), index.csv and prepare.json in ${options.out}` : '') +
        '\n',
    );
  }
  const exitCode = exitCodeFor(result);
  if (exitCode !== 0) {
    const why = result.stoppedBy ? `stopped by ${result.stoppedBy}; run again with --resume to finish` : `${result.failed} image(s) failed (listed in prepare.json)`;
    throw new BatchExit(`prepare: ${why}`, exitCode);
  }
}
