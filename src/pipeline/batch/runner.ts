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
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { CPU_ENGINE_DESCRIPTION } from '../../cpu/engine.js';
import type { Engine } from '../../engine.js';
import { GpuEngine } from '../../gpu/engine.js';
import type { Image2D } from '../../image.js';
import { type EngineChoice, selectEngine } from '../../select-engine.js';
import { type ImageStatus, ManifestWriter, type ManifestRecord, type StageTimings } from './manifest.js';
import { type OutputFormat, type PlannedOutput, outputPathsFor } from './output-plan.js';
import { type ProgressMode, createProgress } from './progress.js';
import { completeOutputs } from './resume.js';
import { checkAndSaveRunConfig } from './run-config.js';
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
import type { DecodeResult, OutputTarget, SeriesFrame, TaskFailure } from './worker-protocol.js';

export const MANIFEST_FILE = 'manifest.jsonl';
export const INPUT_EXTENSIONS = ['.png'] as const;

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

  await mkdir(outputDir, { recursive: true });
  await checkAndSaveRunConfig(
    outputDir,
    {
      outputs: options.outputs.map(({ label, request }) => ({ label, request })),
      format: options.format,
      pngLevel: options.format === 'png' ? (options.pngLevel ?? 'default') : null,
      series: options.series !== undefined,
    },
    options.resume,
  );

  const series = options.series
    ? new SeriesCollector({
        outputDir,
        metadata: options.series.metadata,
        frameSide: options.series.frameSide ?? 256,
        delayMs: options.series.delayMs ?? 500,
        resume: options.resume,
        log,
      })
    : undefined;
  /** The shard key: the patient with --series (one patient, one machine), else the path without extension. */
  const shardKey = (relativeInput: string) => series?.patientOf(relativeInput)?.patientId ?? stemOf(relativeInput);
  const removed = await sweepTempFiles(outputDir, (finalRelative) => {
    const key = shardKeyOfOutput(finalRelative, options.outputs, options.format, series);
    return key !== undefined && inShard(key, shard);
  });
  if (removed > 0) log(`batch: removed ${removed} temporary file(s) left by an interrupted run`);

  const compute = await chooseCompute(options.engine, options.jobs, log);
  const pool = new BatchWorkerPool(options.jobs);
  const manifestPath = options.manifestPath ?? defaultManifestPath(outputDir, shard);
  const manifest = await ManifestWriter.open(manifestPath);
  const progress = createProgress({ mode: options.progress });
  const tally = emptyTally();
  const run = `${hostname()}:${process.pid}:${new Date().toISOString()}`;
  const walkOptions = { extensions: INPUT_EXTENSIONS, skipDirectories: [outputDir] };
  const ours = (entry: WalkEntry) => inShard(shardKey(entry.relativePath), shard);

  const record = async (entry: WalkEntry, status: ImageStatus, details: Partial<ManifestRecord>) => {
    await manifest.append({ input: entry.relativePath, status, outputs: [], ...details, run, at: new Date().toISOString() });
    countOutcome(tally, status, details.timings);
    progress.update(tally);
    if (status === 'failed') {
      progress.log(`failed: ${entry.relativePath}: ${details.reason}`);
      if (options.maxFailures !== undefined && tally.failed >= options.maxFailures) stop.request('max-failures');
    }
  };

  // Counting runs beside the work, for the progress total and ETA; it reads names only.
  let counting = true;
  void (async () => {
    let total = 0;
    for await (const entry of walkFiles(inputDir, { ...walkOptions, onDirectoryError: () => {} })) {
      if (!counting) return;
      if (ours(entry)) total++;
    }
    progress.setTotal(total);
  })().catch(() => {});

  const processor =
    compute.kind === 'workers'
      ? new WorkerProcessor(pool, options)
      : new GpuProcessor(pool, compute.engine, options, options.gpuBatchSize ?? 4);
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
        if (!ours(entry)) continue;
        await slots.acquire();
        if (stop.stopping) {
          slots.release();
          break walk;
        }
        const wantsFrame = series ? await series.admit(entry.relativePath) : false;
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
  await manifest.close();
  return {
    ...summarize(tally, performance.now() - startedAt, {
      engine: compute.description,
      jobs: options.jobs,
      manifest: manifestPath,
      stoppedBy: stop.stoppedBy,
    }),
    ...(seriesTally ? { series: seriesTally } : {}),
  };

  async function handleImage(entry: WalkEntry, wantsFrame: boolean): Promise<void> {
    const relativeOutputs = outputPathsFor(entry.relativePath, options.outputs, options.format);
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
    const stem = finalRelative.slice(0, -suffix.length);
    return series ? (series.patientOf(`${stem}.png`)?.patientId ?? stem) : stem;
  }
  return undefined;
}

type Compute = { kind: 'workers'; description: string; engine?: undefined } | { kind: 'gpu'; description: string; engine: Engine };

/** cpu: the CPU engine in every worker. gpu: the GPU engine here. auto: a hardware GPU, else as cpu. */
async function chooseCompute(choice: EngineChoice, jobs: number, log: (line: string) => void): Promise<Compute> {
  const inWorkers = `${CPU_ENGINE_DESCRIPTION} in ${jobs} worker thread${jobs === 1 ? '' : 's'}`;
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

interface ImageDone {
  ok: true;
  width: number;
  height: number;
  outputs: ManifestRecord['outputs'];
  timings: StageTimings;
  series?: SeriesFrame;
}

interface Processor {
  process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure>;
  /** Decodes an input for its series frame only (its outputs are complete). */
  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure>;
  close(): Promise<void>;
}

const SERIES_FRAME_SIDE_DEFAULT = 256;

/** The CPU path: one worker task per image. */
class WorkerProcessor implements Processor {
  constructor(
    private readonly pool: BatchWorkerPool,
    private readonly options: BatchOptions,
  ) {}

  async process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure> {
    const result = await this.pool.process({
      kind: 'process',
      input: entry.path,
      outputs: targets,
      format: this.options.format,
      pngLevel: this.options.pngLevel,
      maxPixels: this.options.maxPixels,
      series: wantsFrame ? { maxSide: this.options.series?.frameSide ?? SERIES_FRAME_SIDE_DEFAULT } : undefined,
    });
    if (!result.ok) return result;
    return {
      ok: true,
      width: result.width,
      height: result.height,
      outputs: result.outputs,
      timings: { decodeMs: result.decodeMs, computeMs: result.computeMs, encodeMs: result.encodeMs },
      series: result.series,
    };
  }

  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
    return frameOnly(this.pool, this.options, entry);
  }

  async close(): Promise<void> {}
}

function frameOnly(pool: BatchWorkerPool, options: BatchOptions, entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
  return pool.decode({
    kind: 'decode',
    input: entry.path,
    maxPixels: options.maxPixels,
    series: { maxSide: options.series?.frameSide ?? SERIES_FRAME_SIDE_DEFAULT },
  });
}

interface Queued {
  image: Image2D<Uint8Array | Uint16Array>;
  settle: (result: { ok: true; data: (Float32Array | Float64Array | Uint8Array)[]; ms: number } | { ok: false; error: unknown }) => void;
}

/**
 * The GPU path: decode in a worker, then queue for the GPU; while one `runBatch` runs, decoded images
 * pile up, and the next call takes up to `batchSize` of the same size at once (one submit).
 */
class GpuProcessor implements Processor {
  private readonly queue: Queued[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: BatchWorkerPool,
    private readonly engine: Engine,
    private readonly options: BatchOptions,
    private readonly batchSize: number,
  ) {}

  async process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure> {
    const decoded = await this.pool.decode({
      kind: 'decode',
      input: entry.path,
      maxPixels: this.options.maxPixels,
      series: wantsFrame ? { maxSide: this.options.series?.frameSide ?? SERIES_FRAME_SIDE_DEFAULT } : undefined,
    });
    if (!decoded.ok) return decoded;
    const image = { width: decoded.width, height: decoded.height, data: decoded.pixels };
    const computed = await this.compute(image);
    if (!computed.ok) {
      return { ok: false, reason: `GPU engine failed: ${computed.error instanceof Error ? computed.error.message : String(computed.error)}` };
    }
    const encoded = await this.pool.encode({
      kind: 'encode',
      width: image.width,
      height: image.height,
      results: computed.data,
      outputs: targets,
      format: this.options.format,
      pngLevel: this.options.pngLevel,
    });
    if (!encoded.ok) return encoded;
    return {
      ok: true,
      width: image.width,
      height: image.height,
      outputs: encoded.outputs,
      timings: { decodeMs: decoded.decodeMs, computeMs: computed.ms, encodeMs: encoded.encodeMs },
      series: decoded.series,
    };
  }

  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
    return frameOnly(this.pool, this.options, entry);
  }

  async close(): Promise<void> {
    await this.running;
  }

  private compute(image: Image2D<Uint8Array | Uint16Array>): Promise<Parameters<Queued['settle']>[0]> {
    return new Promise((settle) => {
      this.queue.push({ image, settle });
      this.running ??= this.drain().finally(() => {
        this.running = undefined;
      });
    });
  }

  private async drain(): Promise<void> {
    const requests = this.options.outputs.map((o) => o.request);
    while (this.queue.length > 0) {
      const { width, height } = this.queue[0].image;
      const batch: Queued[] = [];
      for (let i = 0; i < this.queue.length && batch.length < this.batchSize; ) {
        const item = this.queue[i];
        if (item.image.width === width && item.image.height === height) {
          batch.push(item);
          this.queue.splice(i, 1);
        } else i++;
      }
      const start = performance.now();
      const images = batch.map((b) => b.image);
      try {
        // PNG outputs: scaled to 8 bits on the GPU, a quarter of the readback and no scaling pass here.
        const results =
          this.options.format === 'png' && this.engine instanceof GpuEngine
            ? await this.engine.runBatchUint8(images, requests)
            : await this.engine.runBatch(images, requests);
        // The submit's time is shared by the images in it.
        const ms = (performance.now() - start) / batch.length;
        batch.forEach((item, i) => item.settle({ ok: true, data: results[i].map((r) => ownedCopy(r.data)), ms }));
      } catch (error) {
        for (const item of batch) item.settle({ ok: false, error });
      }
    }
  }
}

/** A result that owns its whole buffer, so it can move to a worker without detaching another result. */
function ownedCopy(data: Float32Array | Float64Array | Uint8Array): Float32Array | Float64Array | Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}
