/**
 * The prepare runner: lists the inputs, cuts them into shards of `shardSize` consecutive inputs
 * (shard K holds inputs K*S .. K*S+S-1 in walk order, so every machine and every run agrees on it),
 * takes the shards this machine owns (--shard I/N: K mod N = I), skips complete ones on --resume, and
 * keeps a bounded number of images in flight through the worker pool. Each image's row goes into its
 * shard's temporary file as soon as it is computed; a shard is closed up, renamed into place and its
 * index part written when its last image is done.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineChoice } from '../../engine-choice.js';
import { packageVersion } from '../../cli/version.js';
import { type ProgressMode, createProgress } from '../batch/progress.js';
import { checkAndSaveRunConfig } from '../batch/run-config.js';
import { type Shard, WHOLE, formatShard } from '../batch/shard.js';
import { StopController } from '../batch/signals.js';
import { Slots } from '../batch/slots.js';
import type { StopReason } from '../batch/summary.js';
import { emptyTally } from '../batch/tally.js';
import { sweepTempFiles } from '../batch/temp-files.js';
import {
  CONFIG_FILE,
  type IndexPart,
  type PrepareConfig,
  type DatasetSummary,
  readCompletePart,
  readConfig,
  shardFileName,
  shardNumberOf,
  writeDatasetIndex,
  writePart,
} from './dataset-index.js';
import { listInputs, type PrepareInput } from './inputs.js';
import { LABEL_COLUMNS, type LabelTable, type SplitTable, labelValues, splitValue } from './labels.js';
import { type PrepareDecoding, type PrepareSettings, validateSettings } from './settings.js';
import { ShardFileWriter } from './shard-file.js';
import { DEFAULT_INPUT_KINDS } from '../../io/input-kinds.js';
import { createPrepareCompute, startWorkers } from './compute.js';

/** What `runPrepare` turns into training shards, and how (the CLI's `prepare` options). */
export interface PrepareOptions {
  inputs: readonly string[];
  outputDir: string;
  settings: PrepareSettings;
  /** Inputs per shard (the last shard may hold fewer). */
  shardSize: number;
  engine: EngineChoice;
  jobs: number;
  resume: boolean;
  shard?: Shard;
  /** What a folder walk takes and how DICOM is read; default png, jpeg, dicom and display values, frame 0. */
  decode?: Partial<PrepareDecoding>;
  labels?: LabelTable;
  splits?: SplitTable;
  maxPixels: number;
  progress: ProgressMode;
  /** Informational lines (engine, temp files removed); default stderr. */
  log?: (line: string) => void;
  stop?: StopController;
}

/** How a `runPrepare` run went: counts, speed, the shards written. */
export interface PrepareResult {
  ok: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
  /** Images computed (ok or failed) per second of wall time. */
  imagesPerSecond: number;
  engine: string;
  /** Shards this machine owns, and how many it wrote (the rest were complete already). */
  shards: { owned: number; written: number };
  /** Set when the whole dataset's index.csv and prepare.json were written (an unsharded run). */
  dataset?: DatasetSummary;
  stoppedBy?: StopReason;
}

interface ShardState {
  number: number;
  entries: readonly PrepareInput[];
  writer: ShardFileWriter;
  rows: (string[] | undefined)[];
  failed: ({ file: string; reason: string } | undefined)[];
  pending: number;
  launched: number;
}

/**
 * Decodes, crops, resizes, equalises, normalises and casts every input into NumPy shards under
 * `outputDir`, with index.csv and prepare.json (docs/prepare.md); resumable and shardable.
 */
export async function runPrepare(options: PrepareOptions): Promise<PrepareResult> {
  const startedAt = performance.now();
  const settings = validateSettings(options.settings);
  checkOptions(options);
  const outputDir = path.resolve(options.outputDir);
  const shard = options.shard ?? WHOLE;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stop = options.stop ?? new StopController();

  // The workers boot while the inputs are listed and the outputs checked.
  const workers = startWorkers(options.jobs);
  let prepared;
  try {
    prepared = await prepareOutputs(options, settings, outputDir, shard, log);
  } catch (error) {
    await workers.destroy();
    throw error;
  }
  const { files, columns, shardCount, owns, decode, config } = prepared;
  const compute = await createPrepareCompute(options.engine, workers, { settings, maxPixels: options.maxPixels, dicomValues: decode.dicomValues, frame: decode.frame }, log);
  const engine = compute.description;
  const madeBy = `xray-gpu ${packageVersion()}, ${engine}`;
  const geometry = { dtype: settings.dtype, height: settings.height, width: settings.width };
  const tally = emptyTally();
  const progress = createProgress({ mode: options.progress, label: 'prepare' });
  const ownedNumbers = Array.from({ length: shardCount }, (_, k) => k).filter(owns);
  progress.setTotal(ownedNumbers.reduce((n, k) => n + Math.min(options.shardSize, files.length - k * options.shardSize), 0));

  // Enough images in flight to keep every worker busy; no more, so memory stays flat.
  const slots = new Slots(options.jobs * 3);
  const inFlight = new Set<Promise<void>>();
  const closing: Promise<void>[] = [];
  let written = 0;

  const failImage = (state: ShardState, slot: number, reason: string) => {
    const file = state.entries[slot].relativePath;
    state.failed[slot] = { file, reason };
    tally.failed++;
    progress.log(`prepare: ${file} failed: ${reason}`);
  };

  const finishShard = async (state: ShardState) => {
    const kept = state.rows.flatMap((row, slot) => (row ? [slot] : []));
    await state.writer.finish(kept);
    const part: IndexPart = {
      shard: shardFileName(state.number),
      number: state.number,
      inputs: state.entries.length,
      columns: columns.slice(3),
      rows: kept.map((slot) => state.rows[slot] as string[]),
      failed: state.failed.filter((f) => f !== undefined),
      madeBy,
    };
    await writePart(outputDir, part);
    written++;
  };

  const doImage = async (state: ShardState, slot: number) => {
    const entry = state.entries[slot];
    try {
      const extra: string[] = [];
      for (const lookup of [options.labels && ((f: string) => labelValues(options.labels as LabelTable, f)), options.splits && ((f: string) => splitValue(options.splits as SplitTable, f))]) {
        if (!lookup) continue;
        const found = lookup(entry.relativePath);
        if ('reason' in found) return failImage(state, slot, found.reason);
        extra.push(...found.values);
      }
      const result = await compute.run(entry.path);
      if (!result.ok) return failImage(state, slot, result.reason);
      await state.writer.writeRow(slot, result.bytes);
      state.rows[slot] = [entry.relativePath, ...extra];
      tally.ok++;
      tally.decodeMs += result.decodeMs;
      tally.computeMs += result.computeMs;
    } catch (error) {
      failImage(state, slot, `internal error: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      progress.update(tally);
      state.pending--;
      if (state.pending === 0 && state.launched === state.entries.length) closing.push(finishShard(state));
    }
  };

  const incomplete: ShardState[] = [];
  try {
    shards: for (const number of ownedNumbers) {
      if (stop.stopping) break;
      const entries = files.slice(number * options.shardSize, (number + 1) * options.shardSize);
      if (options.resume) {
        const part = await readCompletePart(outputDir, number, geometry, { files: entries.map((e) => e.relativePath), columns });
        if (part) {
          tally.skipped += entries.length;
          progress.update(tally);
          continue;
        }
      }
      const writer = await ShardFileWriter.create(path.join(outputDir, shardFileName(number)), geometry, entries.length);
      const state: ShardState = { number, entries, writer, rows: [], failed: [], pending: 0, launched: 0 };
      for (let slot = 0; slot < entries.length; slot++) {
        await slots.acquire();
        if (stop.stopping) {
          slots.release();
          incomplete.push(state);
          break shards;
        }
        state.pending++;
        state.launched++;
        const task = doImage(state, slot).finally(() => {
          slots.release();
          inFlight.delete(task);
        });
        inFlight.add(task);
      }
    }
    await Promise.all(inFlight);
    await Promise.all(closing);
  } finally {
    await Promise.allSettled(inFlight);
    await Promise.allSettled(closing);
    // A shard cut short by a stop is dropped whole; --resume makes it again.
    for (const state of incomplete) await state.writer.abort();
    await compute.close();
    progress.stop();
  }

  let dataset: DatasetSummary | undefined;
  const finished = !stop.stopping;
  if (finished && shard.count === 1) {
    dataset = await writeDatasetIndex(outputDir, config, shardCount, { tool: `xray-gpu ${packageVersion()}`, node: process.version });
  } else if (finished) {
    log(`prepare: shard ${formatShard(shard)} done; once every shard is, run "xray-gpu prepare merge ${options.outputDir}" for index.csv and prepare.json`);
  }
  const elapsedMs = performance.now() - startedAt;
  return {
    ok: tally.ok,
    failed: tally.failed,
    skipped: tally.skipped,
    elapsedMs,
    imagesPerSecond: elapsedMs > 0 ? (tally.ok + tally.failed) / (elapsedMs / 1000) : 0,
    engine,
    shards: { owned: ownedNumbers.length, written },
    dataset,
    stoppedBy: stop.stoppedBy,
  };
}

/**
 * Lists the inputs, checks and saves the run's config (refusing a --resume with other settings),
 * and removes the temporary files an interrupted run of this machine's shards left.
 */
async function prepareOutputs(options: PrepareOptions, settings: PrepareSettings, outputDir: string, shard: Shard, log: (line: string) => void) {
  const decode: PrepareDecoding = {
    inputs: [...(options.decode?.inputs ?? DEFAULT_INPUT_KINDS)],
    dicomValues: options.decode?.dicomValues ?? 'display',
    frame: options.decode?.frame ?? 0,
  };
  const { files } = await listInputs(options.inputs, [outputDir], decode.inputs);
  if (files.some((f) => f.path === outputDir || f.path.startsWith(outputDir + path.sep))) {
    throw new RangeError(`--out ${outputDir} is one of the inputs`);
  }
  const columns = ['file', 'shard', 'row', ...(options.labels ? LABEL_COLUMNS : []), ...(options.splits ? ['split'] : [])];
  const config: PrepareConfig = {
    settings,
    shardSize: options.shardSize,
    columns,
    inputs: { count: files.length, sha256: sha256(files.map((f) => f.relativePath).join('\n')) },
    decode,
    labels: options.labels ? { file: path.basename(options.labels.file), sha256: await fileDigest(options.labels.file) } : null,
    splits: options.splits ? await Promise.all(options.splits.files.map(async (f) => ({ file: path.basename(f), sha256: await fileDigest(f) }))) : null,
  };
  await mkdir(outputDir, { recursive: true });
  await checkAndSaveRunConfig(outputDir, config, options.resume, CONFIG_FILE);

  const shardCount = Math.ceil(files.length / options.shardSize);
  const owns = (number: number) => number % shard.count === shard.index;
  const removed = await sweepTempFiles(outputDir, (finalRelative) => {
    const number = shardNumberOf(finalRelative);
    return number !== undefined && owns(number);
  });
  if (removed > 0) log(`prepare: removed ${removed} temporary file(s) left by an interrupted run`);
  return { files, columns, shardCount, owns, decode, config };
}

/** Writes index.csv and prepare.json from every shard's part (after all --shard I/N runs). */
export async function mergePrepared(outputDir: string): Promise<DatasetSummary> {
  const config = await readConfig(outputDir);
  const shardCount = Math.ceil(config.inputs.count / config.shardSize);
  return writeDatasetIndex(outputDir, config, shardCount, { tool: `xray-gpu ${packageVersion()}`, node: process.version });
}

function checkOptions(options: PrepareOptions): void {
  if (!Number.isInteger(options.shardSize) || options.shardSize < 1) throw new RangeError(`--shard-size must be an integer >= 1, got ${options.shardSize}`);
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new RangeError(`--jobs must be an integer >= 1, got ${options.jobs}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function fileDigest(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}
