/**
 * The batch runner: walks the input tree, takes this shard's images, skips complete ones on resume,
 * and keeps a bounded number of images in flight through the worker pool, recording each outcome in
 * the manifest as it is known.
 *
 * Two ways to compute:
 *   CPU engine:  each image is one worker task (decode, compute, encode, write), one image per core.
 *   GPU engine:  workers decode; the main thread runs same-sized images through the GPU in one
 *                `runBatch` (one submit) while the workers decode the next and encode the last.
 */
import { mkdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { cpuEngineDescription } from '../../cpu/description.js';
import type { Engine } from '../../engine.js';
import { type EngineChoice, selectEngine } from '../../select-engine.js';
import { describeFsError } from '../../io/fs-errors.js';
import { bytesPerPixelFor } from '../../filters/memory.js';
import type { ReadLimits } from '../read-limits.js';
import { type ImageStatus, ManifestWriter, type ManifestRecord } from './manifest.js';
import { acquireOutLock } from './out-lock.js';
import { type OutputFormat, type PlannedOutput, outputPathsFor } from './output-plan.js';
import { type ProgressMode, createProgress } from './progress.js';
import { completeOutputs } from './resume.js';
import { checkAndSaveRunConfig } from './run-config.js';
import { patientFileName } from './dicom-patient.js';
import { SeriesCollector, SERIES_DIRECTORY, type SeriesTally } from './series.js';
import type { ImageMetadata } from './metadata.js';
import { type Shard, WHOLE, inShard } from './shard.js';
import { StopController } from './signals.js';
import { Slots } from './slots.js';
import { type BatchSummary, summarize } from './summary.js';
import { countOutcome, emptyTally } from './tally.js';
import { sweepTempFiles } from './temp-files.js';
import { type WalkEntry, walkFiles } from './walk.js';
import { BatchWorkerPool } from './worker-pool.js';
import type { OutputTarget } from './worker-protocol.js';
import { GpuProcessor, WorkerProcessor } from './processors.js';
import type { DecodeImageOptions, ImageKind } from '../../codecs/decode-image.js';
import { DEFAULT_INPUT_KINDS, IMAGE_KINDS, extensionsOf, walkFilterOf } from '../../io/input-kinds.js';

export const MANIFEST_FILE = 'manifest.jsonl';
const SERIES_FRAME_SIDE_DEFAULT = 256;

export interface SeriesSettings {
  metadata?: ReadonlyMap<string, ImageMetadata>;
  /** Longest side of GIF frames (default 256). */
  frameSide?: number;
  /** GIF frame delay in ms (default 500). */
  delayMs?: number;
}

export interface BatchOptions {
  inputDir: string;
  outputDir: string;
  outputs: readonly PlannedOutput[];
  format: OutputFormat;
  /** zlib level of PNG outputs, 0..9; undefined: the encoder's default (run-length deflate, fast). */
  pngLevel?: number;
  engine: EngineChoice;
  /** Worker threads for decode/encode (and compute with the CPU engine). */
  jobs: number;
  resume: boolean;
  shard?: Shard;
  /** Stop taking new images once this many have failed (default: never). */
  maxFailures?: number;
  /** Inputs larger than this many pixels fail without being decoded. */
  maxPixels: number;
  /** The kinds of file the walk takes (default PNG, JPEG, DICOM; extension-less DICOM by content). */
  inputKinds?: readonly ImageKind[];
  /** DICOM inputs: which values the pixels become, and the frame (defaults: display, 0). */
  dicomValues?: DecodeImageOptions['dicomValues'];
  frame?: number;
  /** Input files larger than this many bytes fail unread (default: read-input.ts's). */
  maxFileBytes?: number;
  /** Working memory for all workers together; an image whose share would pass it fails undecoded. */
  maxMemoryBytes?: number;
  /** Default OUT/manifest.jsonl, or OUT/manifest-I-of-N.jsonl when sharded. */
  manifestPath?: string;
  series?: SeriesSettings;
  /** Same-sized images per GPU submit (default 4). */
  gpuBatchSize?: number;
  progress: ProgressMode;
  /** Informational lines (engine chosen, temp files removed, failures); default stderr. */
  log?: (line: string) => void;
  /** Lets the caller (signal handlers, tests) stop the batch. */
  stop?: StopController;
}

export interface BatchResult extends BatchSummary {
  series?: SeriesTally;
}

/** The default manifest file for a shard. */
export function defaultManifestPath(outputDir: string, shard: Shard): string {
  const name = shard.count === 1 ? MANIFEST_FILE : `manifest-${shard.index}-of-${shard.count}.jsonl`;
  return path.join(outputDir, name);
}

/** Runs a batch to the end of its input (or until stopped) and returns its summary. */
export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const startedAt = performance.now();
  const inputDir = path.resolve(options.inputDir);
  const outputDir = path.resolve(options.outputDir);
  checkOptions(options, inputDir, outputDir);
  const shard = options.shard ?? WHOLE;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stop = options.stop ?? new StopController();

  // A missing input is an error before anything is created.
  await checkInputDirectory(inputDir);
  await mkdir(outputDir, { recursive: true }).catch((error: unknown) => {
    throw new Error(`cannot create --out ${outputDir}: ${describeFsError(error, 'create it')}`, { cause: error });
  });
  const started = new Date().toISOString();
  const run = `${hostname()}:${process.pid}:${started}`;
  // One run per --out and shard: a second one must not sweep the first one's temporary files or
  // interleave its manifest.
  const lock = await acquireOutLock(outputDir, shard, { host: hostname(), pid: process.pid, started, run, command: process.argv.slice(1).join(' ') }, log);
  try {
    return await runLocked({ options, startedAt, inputDir, outputDir, shard, log, stop, run });
  } finally {
    await lock.release();
  }
}

interface LockedRun {
  options: BatchOptions;
  startedAt: number;
  inputDir: string;
  outputDir: string;
  shard: Shard;
  log: (line: string) => void;
  stop: StopController;
  /** The run id written on each manifest line. */
  run: string;
}

async function runLocked({ options, startedAt, inputDir, outputDir, shard, log, stop, run }: LockedRun): Promise<BatchResult> {
  await checkAndSaveRunConfig(
    outputDir,
    {
      outputs: options.outputs.map(({ label, request }) => ({ label, request })),
      format: options.format,
      pngLevel: options.format === 'png' ? (options.pngLevel ?? 'default') : null,
      series: options.series !== undefined,
      inputs: [...(options.inputKinds ?? DEFAULT_INPUT_KINDS)],
      dicomValues: options.dicomValues ?? 'display',
      frame: options.frame ?? 0,
    },
    options.resume,
  );

  const series = options.series
    ? new SeriesCollector({
        outputDir,
        metadata: options.series.metadata,
        frameSide: options.series.frameSide ?? SERIES_FRAME_SIDE_DEFAULT,
        delayMs: options.series.delayMs ?? 500,
        resume: options.resume,
        log,
      })
    : undefined;
  /** The shard key: the patient with --series (one patient, one machine), else the path without extension. */
  const shardKey = async (entry: WalkEntry, remember: boolean) => {
    const patient = series ? await series.identify(entry.relativePath, entry.path, remember) : undefined;
    return patient ? patientFileName(patient.patientId) : stemOf(entry.relativePath);
  };
  const removed = await sweepTempFiles(outputDir, (finalRelative) => {
    const key = shardKeyOfOutput(finalRelative, options.outputs, options.format, series);
    return key !== undefined && inShard(key, shard);
  });
  if (removed > 0) log(`batch: removed ${removed} temporary file(s) left by an interrupted run`);

  // The manifest first: a manifest that cannot be opened (full disk) must not leave workers running.
  const manifestPath = options.manifestPath ?? defaultManifestPath(outputDir, shard);
  const manifest = await ManifestWriter.open(manifestPath);
  const compute = await chooseCompute(options.engine, options.jobs, options.format, log).catch(async (error: unknown) => {
    await manifest.close().catch(() => {});
    throw error;
  });
  const pool = new BatchWorkerPool(options.jobs);
  const progress = createProgress({ mode: options.progress });
  const tally = emptyTally();
  const inputKinds = options.inputKinds ?? DEFAULT_INPUT_KINDS;
  const walkOptions = { ...walkFilterOf(inputKinds), skipDirectories: [outputDir] };
  // Unsharded, every file is ours: no DICOM header is read for the key.
  const ours = async (entry: WalkEntry, remember = true) => shard.count === 1 || inShard(await shardKey(entry, remember), shard);

  /** The first manifest write that failed (a full disk): the batch stops, and the summary says why. */
  let writeFailure: Error | undefined;
  const manifestFailed = (error: unknown) => {
    if (writeFailure) return;
    writeFailure = error instanceof Error ? error : new Error(String(error));
    progress.log(`batch: ${writeFailure.message}; finishing the images in flight, then stopping`);
    stop.request('write-failure');
  };
  const record = async (entry: WalkEntry, status: ImageStatus, details: Partial<ManifestRecord>) => {
    try {
      await manifest.append({ input: entry.relativePath, status, outputs: [], ...details, run, at: new Date().toISOString() });
    } catch (error) {
      // Never thrown on: an in-flight image's rejection would be unhandled. Outputs written stay
      // complete on disk, so --resume finds them.
      manifestFailed(error);
      return;
    }
    countOutcome(tally, status, details.timings);
    progress.update(tally);
    if (status === 'failed') {
      progress.log(`failed: ${entry.relativePath}: ${details.reason}`);
      if (options.maxFailures !== undefined && tally.failed >= options.maxFailures) stop.request('max-failures');
    }
  };

  // Counting runs beside the work, for the progress total and ETA; it reads names only (and, sharded
  // with --series, DICOM headers, without keeping them).
  let counting = true;
  void (async () => {
    let total = 0;
    for await (const entry of walkFiles(inputDir, { ...walkOptions, onDirectoryError: () => {} })) {
      if (!counting) return;
      if (await ours(entry, false)) total++;
    }
    progress.setTotal(total);
  })().catch(() => {});

  const settings = {
    requests: options.outputs.map((o) => o.request),
    format: options.format,
    pngLevel: options.pngLevel,
    maxPixels: options.maxPixels,
    dicomValues: options.dicomValues,
    frame: options.frame,
    limits: batchReadLimits(options),
    frameSide: options.series?.frameSide ?? SERIES_FRAME_SIDE_DEFAULT,
  };
  const processor =
    compute.kind === 'workers' ? new WorkerProcessor(pool, settings) : new GpuProcessor(pool, compute.engine, settings, options.gpuBatchSize ?? 4);
  // Enough images in flight for every worker to hold two tasks plus one waiting (and, on the GPU path,
  // two submits' worth queued for the device); no more, so memory stays flat.
  const slots = new Slots(options.jobs * 3 + (compute.kind === 'gpu' ? 2 * (options.gpuBatchSize ?? 4) : 0));
  const inFlight = new Set<Promise<void>>();
  const directoryFailures: Promise<void>[] = [];
  let walkedToEnd = false;
  try {
    const entries = walkFiles(inputDir, {
      ...walkOptions,
      // An unreadable directory fails like an unreadable file: recorded, and the batch goes on.
      onDirectoryError: (relative, error) => {
        directoryFailures.push(record({ path: path.join(inputDir, relative), relativePath: relative }, 'failed', { reason: error.message }));
      },
    });
    walk: {
      for await (const entry of entries) {
        if (stop.stopping) break walk;
        if (!(await ours(entry))) continue;
        await slots.acquire();
        if (stop.stopping) {
          slots.release();
          break walk;
        }
        const wantsFrame = series ? await series.admit(entry.relativePath, entry.path) : false;
        const task = handleImage(entry, wantsFrame).finally(() => {
          slots.release();
          inFlight.delete(task);
        });
        inFlight.add(task);
      }
      walkedToEnd = true;
    }
    await Promise.all([...inFlight, ...directoryFailures]);
  } finally {
    counting = false;
    await Promise.allSettled(inFlight);
    await processor.close();
    await pool.close();
    if (compute.kind === 'gpu') await compute.engine.dispose();
  }
  const seriesTally = series ? await series.finish(walkedToEnd && !stop.stopping) : undefined;
  progress.stop();
  await manifest.close().catch(manifestFailed);
  return {
    ...summarize(tally, performance.now() - startedAt, {
      engine: compute.description,
      jobs: options.jobs,
      manifest: manifestPath,
      stoppedBy: stop.stoppedBy,
      ...(writeFailure ? { error: writeFailure.message } : {}),
    }),
    ...(seriesTally ? { series: seriesTally } : {}),
  };

  async function handleImage(entry: WalkEntry, wantsFrame: boolean): Promise<void> {
    const relativeOutputs = outputPathsFor(entry.relativePath, options.outputs, options.format, { keepExtension: entry.sharesStem });
    const targets: OutputTarget[] = options.outputs.map((output, i) => ({
      request: output.request,
      file: path.join(outputDir, relativeOutputs[i]),
      relativePath: relativeOutputs[i],
    }));
    try {
      if (options.resume) {
        const complete = await completeOutputs(outputDir, relativeOutputs);
        if (complete) {
          // The outputs stay as they are; a frame is still needed if the patient's series is not.
          if (series && wantsFrame) {
            const frame = await processor.frameOnly(entry);
            series.complete(entry.relativePath, frame.ok ? frame.series : undefined, frame.ok ? undefined : frame.reason);
          }
          await record(entry, 'skipped', { outputs: complete, reason: 'outputs already complete (--resume)' });
          return;
        }
      }
      const outcome = await processor.process(entry, targets, wantsFrame);
      series?.complete(entry.relativePath, outcome.ok ? outcome.series : undefined, outcome.ok ? undefined : outcome.reason);
      if (outcome.ok) {
        await record(entry, 'ok', {
          outputs: outcome.outputs,
          width: outcome.width,
          height: outcome.height,
          timings: outcome.timings,
          engine: compute.engine?.name ?? 'cpu',
        });
      } else {
        await record(entry, 'failed', { reason: outcome.reason });
      }
    } catch (error) {
      // A bug or an I/O error outside the image's own files: this image fails, the batch goes on.
      const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
      series?.complete(entry.relativePath, undefined, reason);
      await record(entry, 'failed', { reason });
    }
  }
}

async function checkInputDirectory(inputDir: string): Promise<void> {
  const info = await stat(inputDir).catch((error: unknown) => {
    throw new Error(`cannot read input directory ${inputDir}: ${describeFsError(error, 'read')}`, { cause: error });
  });
  if (!info.isDirectory()) throw new Error(`input must be a directory, got a file: ${inputDir}`);
}

/** Each worker holds one image at a time, so each gets an equal share of the memory budget. */
function batchReadLimits(options: BatchOptions): ReadLimits {
  const budget = options.maxMemoryBytes;
  return {
    maxFileBytes: options.maxFileBytes,
    memory:
      budget === undefined
        ? undefined
        : {
            what: `this batch's ops (${options.outputs.map((o) => o.label).join(', ')})`,
            bytesPerPixel: bytesPerPixelFor(options.outputs.map((o) => o.request)),
            budgetBytes: Math.floor(budget / options.jobs),
            flag: `--max-memory (shared by the ${options.jobs} workers of --jobs)`,
          },
  };
}

function checkOptions(options: BatchOptions, inputDir: string, outputDir: string): void {
  if (inputDir === outputDir) {
    throw new RangeError(`--out must differ from the input directory (outputs would be walked as inputs), got ${outputDir} for both`);
  }
  if (options.outputs.length === 0) throw new RangeError('a batch needs at least one output op, got none');
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new RangeError(`--jobs must be an integer >= 1, got ${options.jobs}`);
  const level = options.pngLevel;
  if (level !== undefined && (!Number.isInteger(level) || level < 0 || level > 9)) {
    throw new RangeError(`--png-level must be an integer 0..9, got ${options.pngLevel}`);
  }
  if (options.maxFailures !== undefined && (!Number.isInteger(options.maxFailures) || options.maxFailures < 1)) {
    throw new RangeError(`--max-failures must be an integer >= 1, got ${options.maxFailures}`);
  }
  const batch = options.gpuBatchSize;
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) throw new RangeError(`GPU batch size must be an integer >= 1, got ${batch}`);
}

/** `a/b/x.png` -> `a/b/x`: the shard key when there are no series (the extension's case does not move a file). */
function stemOf(relativeInput: string): string {
  const extension = path.posix.extname(relativeInput);
  return extension ? relativeInput.slice(0, -extension.length) : relativeInput;
}

/** The shard key of an output file (to tell whose temporary files to remove), or undefined when it is none of ours. */
function shardKeyOfOutput(
  finalRelative: string,
  outputs: readonly PlannedOutput[],
  format: OutputFormat,
  series: SeriesCollector | undefined,
): string | undefined {
  if (series && finalRelative.startsWith(`${SERIES_DIRECTORY}/`)) {
    return path.posix.basename(finalRelative).replace(/\.(gif|json)$/, '');
  }
  for (const { label } of outputs) {
    const suffix = `.${label}.${format}`;
    if (!finalRelative.endsWith(suffix)) continue;
    let stem = finalRelative.slice(0, -suffix.length);
    // x.PNG.<label>.png: an input that shares its stem kept its extension; its shard key is still x.
    const kept = path.posix.extname(stem).toLowerCase();
    if (extensionsOf(IMAGE_KINDS).includes(kept)) stem = stem.slice(0, -kept.length);
    // A DICOM input's patient is in its header, not its name: its temporary files go by stem.
    const patient = series?.patientOf(`${stem}.png`);
    return patient ? patientFileName(patient.patientId) : stem;
  }
  return undefined;
}

type Compute = { kind: 'workers'; description: string; engine?: undefined } | { kind: 'gpu'; description: string; engine: Engine };

/** cpu: the CPU engine in every worker. gpu: the GPU engine here. auto: a hardware GPU, else as cpu. */
async function chooseCompute(choice: EngineChoice, jobs: number, format: OutputFormat, log: (line: string) => void): Promise<Compute> {
  // PNG outputs come from the workers' fast 8-bit path (src/cpu/fast), npy outputs from the engine itself.
  const levels = format === 'png' ? ', 8-bit levels by the fast path' : '';
  const inWorkers = `${cpuEngineDescription()} in ${jobs} worker thread${jobs === 1 ? '' : 's'}${levels}`;
  if (choice === 'cpu') {
    log(`engine: ${inWorkers}`);
    return { kind: 'workers', description: inWorkers };
  }
  const engine = await selectEngine(choice, { log });
  if (engine.name === 'cpu') {
    // auto fell back to the CPU engine: run it in the workers rather than on this thread.
    await engine.dispose();
    return { kind: 'workers', description: inWorkers };
  }
  return { kind: 'gpu', description: engine.description, engine };
}
