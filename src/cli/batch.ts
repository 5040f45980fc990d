/**
 * `xray-gpu batch DIR --out OUTDIR [...]`: every PNG under DIR through the filters, streaming, resumable,
 * shardable (see docs/batch.md). `xray-gpu batch merge-manifests OUT.jsonl IN.jsonl...` merges the
 * manifests of several shards or runs.
 *
 * Exit status: 0 all done; 1 some image failed (or --max-failures or a manifest write failure
 * stopped the batch); 130 / 143 / 129 stopped by SIGINT / SIGTERM / SIGHUP. A non-zero status is raised as a `BatchExit` error carrying `exitCode`.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_PIXELS } from '../io/png.js';
import { mergeManifests } from '../pipeline/batch/merge-manifests.js';
import { readMetadataCsv } from '../pipeline/batch/metadata.js';
import { OUTPUT_FORMATS, type OutputFormat, defaultOutputs } from '../pipeline/batch/output-plan.js';
import { parseOpsArgs, parseOpsFile } from '../pipeline/batch/ops-syntax.js';
import { chooseProgressMode } from '../pipeline/batch/progress.js';
import { type BatchResult, runBatch } from '../pipeline/batch/runner.js';
import { parseShard } from '../pipeline/batch/shard.js';
import { StopController, exitCodeFor, handleStopSignals } from '../pipeline/batch/signals.js';
import { formatSummary } from '../pipeline/batch/summary.js';
import { writeFileAtomic } from '../io/atomic.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import type { EngineChoice } from '../engine-choice.js';
import { DEFAULT_INPUT_KINDS, IMAGE_KINDS, parseInputKinds } from '../io/input-kinds.js';
import { BatchExit } from './batch-exit.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import {
  type InputFlags,
  UsageError,
  dicomValuesOption,
  engineOption,
  frameOption,
  logToStderr,
  maxPixelsOption,
  parseNonNegativeInteger,
  parsePositiveInteger,
} from './options.js';

interface BatchCliOptions extends InputFlags {
  inputs: string;
  out?: string;
  ops?: string[];
  opsFile?: string;
  format: OutputFormat;
  pngLevel?: number;
  engine: EngineChoice;
  jobs: number;
  resume?: boolean;
  shard?: string;
  maxFailures?: number;
  maxFileSize?: number;
  maxMemory?: number;
  manifest?: string;
  series?: boolean;
  metadata?: string;
  seriesFrameSide: number;
  seriesDelay: number;
  gpuBatch: number;
  summaryJson?: string;
  quiet?: boolean;
}

/** Adds `batch` (and its `merge-manifests` subcommand) to the program. */
export function registerBatchCommand(program: Command): Command {
  const batch = program
    .command('batch')
    .description('run every image (PNG, JPEG, DICOM) under DIR through the filters into OUTDIR (mirrored tree), resumable and shardable')
    .argument('<dir>', 'input directory, walked recursively (*.png, *.jpg, *.jpeg, *.dcm, *.dicom, and DICOM without extension)')
    .option('--out <dir>', 'output directory (required); the input tree is mirrored there')
    .option('--ops <op...>', `filter ops, each OP[:PARAM=VALUE]... with PARAM as in "xray-gpu ops" and per-axis pairs as ROWS,COLS, e.g. gaussian:sigma=2,1:order=0,1 canny:low-threshold=5 (default: ${defaultOutputs().map((o) => o.label).join(' ')}); see docs/batch.md`)
    .option('--ops-file <file.json>', 'a JSON array of OpRequest objects instead of --ops, e.g. [{"op": "gaussian", "sigma": [2, 1]}] (default: none, --ops)')
    .addOption(new Option('--format <format>', 'png: 8-bit, min-max scaled per image (as filter --out x.png); npy: float32 raw').choices(OUTPUT_FORMATS).default('png'))
    .addOption(new Option('--png-level <0-9>', 'zlib level of PNG outputs with the default strategy (default: run-length deflate, as filter --out x.png: fast, about as small as level 6)').argParser(parseLevel))
    .addOption(engineOption())
    .addOption(new Option('--jobs <n>', 'worker threads for decode/encode (and compute with the cpu engine)').argParser(parsePositiveInteger).default(availableParallelism()))
    .option('--resume', 'skip images whose outputs are all complete; needs the same settings as the run that made them')
    .option('--shard <spec>', 'I/N: this machine takes shard I of N (0-based); auto or auto/N: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (default: none, every image)')
    .addOption(new Option('--max-failures <n>', 'stop taking new images after N failures (default: none, go on)').argParser(parsePositiveInteger))
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(new Option('--inputs <kinds>', `the kinds of file to take, comma-separated: ${IMAGE_KINDS.join(', ')}`).default(DEFAULT_INPUT_KINDS.join(',')))
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption(true))
    .option('--manifest <file>', 'manifest (JSON lines) to append to (default OUTDIR/manifest.jsonl, or manifest-I-of-N.jsonl with --shard)')
    .option('--series', 'also write one progression GIF and one stats JSON per patient into OUTDIR/series/')
    .option('--metadata <csv>', 'with --series: Data_Entry_2017.csv, for patient ids and follow-up numbers (default: from PPPPPPPP_FFF.png names)')
    .addOption(new Option('--series-frame-side <px>', 'with --series: longest side of GIF frames').argParser(parsePositiveInteger).default(256))
    .addOption(new Option('--series-delay <ms>', 'with --series: GIF frame delay').argParser(parseNonNegativeInteger).default(500))
    .addOption(new Option('--gpu-batch <n>', 'gpu engine: same-sized images per submit').argParser(parsePositiveInteger).default(4))
    .option('--summary-json <file>', 'also write the final summary as JSON (default: none)')
    .option('--quiet', 'no progress and no summary (failures are in the manifest and the exit status)')
    .action(async (dir: string, options: BatchCliOptions, command: Command) => {
      checkOptionsApply(options, (name) => command.getOptionValueSource(name) === 'cli');
      await runBatchCommand(dir, options);
    });

  batch
    .command('merge-manifests')
    .description('merge manifests of several shards or runs into one: the last outcome of each input wins, an earlier ok beats a later skipped')
    .argument('<out>', 'merged manifest to write')
    .argument('<manifests...>', 'manifests to merge, oldest first')
    .action(async (out: string, manifests: string[]) => {
      const result = await mergeManifests(manifests, out, { onBadLine: (file, line) => logToStderr(`merge-manifests: skipping a torn or foreign line ${file}:${line}`) });
      process.stdout.write(`merged ${result.inputs} inputs (${result.ok} ok, ${result.failed} failed, ${result.skipped} skipped) into ${out}\n`);
    });
  return batch;
}

async function runBatchCommand(dir: string, options: BatchCliOptions): Promise<void> {
  if (options.out === undefined) throw new UsageError('--out is required: the output directory');
  let outputs;
  let shard;
  let inputKinds;
  try {
    if (options.ops !== undefined && options.opsFile !== undefined) throw new UsageError('--ops and --ops-file both name the outputs; give one');
    outputs = options.ops !== undefined ? parseOpsArgs(options.ops) : options.opsFile !== undefined ? await readOpsFile(options.opsFile) : defaultOutputs();
    shard = options.shard === undefined ? undefined : parseShard(options.shard);
    inputKinds = parseInputKinds(options.inputs);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const metadata = options.metadata === undefined ? undefined : await readMetadataCsv(options.metadata);
  const progress = chooseProgressMode(options.quiet === true);
  const log = options.quiet ? () => {} : logToStderr;

  const stop = new StopController();
  const removeHandlers = handleStopSignals(stop, {
    onFirst: (signal) => log(`batch: ${signal}: finishing the images in flight, then stopping (send it again to stop at once)`),
    onSecond: (signal) => {
      // Outputs are renamed into place only when whole; the next run removes temporary files.
      logToStderr(`batch: ${signal} again: stopping now`);
      process.exit(exitCodeFor({ failed: 0, stoppedBy: signal }));
    },
  });
  let summary: BatchResult;
  try {
    summary = await runBatch({
      inputDir: dir,
      outputDir: options.out,
      outputs,
      format: options.format,
      pngLevel: options.pngLevel,
      engine: options.engine,
      jobs: options.jobs,
      resume: options.resume === true,
      shard,
      maxFailures: options.maxFailures,
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
      inputKinds,
      dicomValues: options.dicomValues,
      frame: options.frame,
      maxFileBytes: options.maxFileSize,
      maxMemoryBytes: options.maxMemory ?? defaultMemoryBudget(),
      manifestPath: options.manifest,
      series: options.series ? { metadata, frameSide: options.seriesFrameSide, delayMs: options.seriesDelay } : undefined,
      gpuBatchSize: options.gpuBatch,
      progress,
      log,
      stop,
    });
  } finally {
    removeHandlers();
    releaseNodeGpu();
  }
  if (!options.quiet) {
    for (const line of formatSummary(summary)) process.stdout.write(`${line}\n`);
    if (summary.series) {
      const s = summary.series;
      process.stdout.write(`series: ${s.written} written, ${s.skipped} already complete, ${s.failed} failed\n`);
    }
  }
  if (options.summaryJson !== undefined) {
    await writeFileAtomic(options.summaryJson, Buffer.from(`${JSON.stringify(summary, null, 2)}\n`, 'utf8'));
  }
  const exitCode = exitCodeFor(summary);
  if (exitCode !== 0) {
    const why =
      summary.stoppedBy === 'write-failure'
        ? `stopped: ${summary.error ?? 'the manifest could not be written'}`
        : summary.stoppedBy
          ? `stopped by ${summary.stoppedBy === 'max-failures' ? '--max-failures' : summary.stoppedBy}`
          : `${summary.failed} image(s) failed`;
    throw new BatchExit(`batch: ${why}; see ${summary.manifest}`, exitCode);
  }
}

/** Options that would be silently ignored in this combination are usage errors instead. */
function checkOptionsApply(options: BatchCliOptions, given: (name: keyof BatchCliOptions) => boolean): void {
  if (options.pngLevel !== undefined && options.format !== 'png') throw new UsageError(`--png-level applies to --format png only, got --format ${options.format}`);
  for (const name of ['metadata', 'seriesFrameSide', 'seriesDelay'] as const) {
    if (given(name) && !options.series) throw new UsageError(`--${kebab(name)} is used by --series only; add --series`);
  }
  if (given('gpuBatch') && options.engine === 'cpu') throw new UsageError('--gpu-batch applies to the gpu engine, got --engine cpu');
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function parseLevel(value: string): number {
  const level = parseNonNegativeInteger(value);
  if (level > 9) throw new InvalidArgumentError(`expected an integer 0..9, got "${value}".`);
  return level;
}

async function readOpsFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--ops-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  return parseOpsFile(text, file);
}
