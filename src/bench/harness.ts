/**
 * The benchmark run: for every size and op, the CPU engine, the GPU engine (end to end, and its
 * kernels alone from timestamp queries) and the peers (SciPy, OpenCV in Python) on the same pixels;
 * then throughput when several images share one call, the GPU memory the pipeline holds, and any
 * plug-in sections (e.g. bench/batch). Everything that goes wrong in one case is recorded in that
 * case and the run goes on: a benchmark should come back with every number it could get.
 */
import { join } from 'node:path';
import type { Engine } from '../engine.js';
import type { GpuTimings } from '../gpu/engine.js';
import type { Image2D } from '../image.js';
import { writeNpyFile } from '../io/npy-file.js';
import { type BenchOp, type BenchWork, benchOpsByIds, peerOps } from './cases.js';
import type { BenchInputs } from './inputs.js';
import { describeHost } from './machine.js';
import type { PeerInfo, PeerName, PeerTimeRequest, PeerTiming } from './peers.js';
import type {
  AdapterDescription,
  BenchConfig,
  BenchResults,
  CaseResult,
  ColumnId,
  Measurement,
  MemoryResult,
  SectionResult,
  ThroughputResult,
} from './results.js';
import { RESULTS_SCHEMA, columnsOf } from './results.js';
import { perSecond, summarize } from './statistics.js';
import { type RunPolicy, type RunSample, measure } from './timing.js';
import { formatMs } from './format.js';

/** What the harness needs of the GPU engine beyond `Engine`: its timings and its pool's counters. */
export interface TimedEngine extends Engine {
  readonly lastTimings: GpuTimings | null;
  poolStats?(): { bytesInUse: number; bytesFree: number; created: number };
}

export interface PeerHandle {
  time(request: PeerTimeRequest): Promise<PeerTiming>;
  close(): Promise<void>;
}

/** A plug-in section (the batch benchmark of bench/batch, say), run after the main table. */
export interface BenchSection {
  id: string;
  title: string;
  run(context: SectionContext): Promise<Omit<SectionResult, 'id' | 'title'>>;
}

export interface SectionContext {
  config: BenchConfig;
  inputs: BenchInputs;
  workDir: string;
  log(line: string): void;
  /** Milliseconds left before the run's time limit (Infinity when there is none). */
  remainingMs(): number;
}

/** Everything outside the harness: engines, peers, files, the clock. Tests pass stand-ins. */
export interface BenchEnvironment {
  log(line: string): void;
  createCpuEngine(): Engine;
  createGpuEngine(): Promise<{ engine: TimedEngine; adapter: AdapterDescription; release(): Promise<void> }>;
  startPeer(name: PeerName): Promise<{ peer: PeerHandle; info: PeerInfo }>;
  /** A scratch folder for the .npy inputs handed to the peers. */
  workDir: string;
  sections?: readonly BenchSection[];
  now?: () => number;
}

interface Participants {
  cpu?: Engine;
  gpu?: TimedEngine;
  peers: Partial<Record<PeerName, PeerHandle>>;
  /** Why a requested column cannot run at all (no adapter, no Python module). */
  unavailable: Partial<Record<ColumnId, string>>;
}

/** Runs the benchmark `config` describes on `inputs`. */
export async function runBenchmark(config: BenchConfig, inputs: BenchInputs, env: BenchEnvironment): Promise<BenchResults> {
  const now = env.now ?? (() => performance.now());
  const started = now();
  const startedAt = new Date().toISOString();
  const deadline = started + config.timeLimitS * 1000;
  const remainingMs = () => deadline - now();
  const ops = benchOpsByIds(config.ops);
  const machine = describeHost();
  const notes: string[] = [];
  const participants: Participants = { peers: {}, unavailable: {} };
  let releaseGpu: (() => Promise<void>) | undefined;

  try {
    if (config.engines.includes('cpu')) participants.cpu = env.createCpuEngine();
    if (config.engines.includes('gpu')) {
      try {
        const gpu = await env.createGpuEngine();
        participants.gpu = gpu.engine;
        releaseGpu = gpu.release;
        machine.adapter = gpu.adapter;
        if (gpu.adapter.isSwiftShader) {
          notes.push('The GPU columns ran on SwiftShader, a CPU emulation of a GPU (Vulkan on the CPU): they show that the engine works, not how fast a GPU is.');
        } else if (gpu.adapter.isSoftware) {
          notes.push(`The GPU columns ran on a software adapter (${gpu.adapter.summary}): CPU emulation, not GPU speed.`);
        }
        if (!gpu.adapter.timestamps) notes.push('The adapter has no timestamp queries: there is no GPU-kernels column.');
      } catch (error) {
        const reason = `no GPU engine: ${messageOf(error)}`;
        participants.unavailable.gpu = reason;
        participants.unavailable['gpu-kernels'] = reason;
        env.log(reason);
      }
    }
    for (const name of config.peers) {
      try {
        const { peer, info } = await env.startPeer(name);
        participants.peers[name] = peer;
        machine.peers[name] = info;
        if (name === 'opencv') notes.push(`OpenCV ran with ${info.threads} thread(s), float32; SciPy and the CPU engine run on one thread.`);
      } catch (error) {
        const reason = `${name} unavailable: ${messageOf(error)}`;
        machine.peers[name] = { unavailable: reason };
        participants.unavailable[name] = reason;
        env.log(reason);
      }
    }

    const policy: RunPolicy = {
      warmup: config.warmup,
      repeat: config.repeat,
      budgetMs: config.budgetS * 1000,
      minRuns: Math.min(config.minRuns, config.repeat),
    };
    const columns = columnsOf(config);
    const cases: CaseResult[] = [];
    const memory: MemoryResult[] = [];
    for (const size of [...config.sizes].sort((a, b) => a - b)) {
      const [image] = inputs.images(size, 1);
      const inputPath = join(env.workDir, `input-${size}.npy`);
      if (Object.keys(participants.peers).length > 0) await writeNpyFile(inputPath, [size, size], image.data);
      // The pipeline runs first at each size so that its pool growth is what it needs by itself.
      const ordered = [...ops].sort((a, b) => Number(b.id === 'pipeline') - Number(a.id === 'pipeline'));
      const sizeCases = new Map<string, CaseResult>();
      for (const op of ordered) {
        const result: CaseResult = { op: op.id, size, columns: {} };
        const before = op.id === 'pipeline' ? participants.gpu?.poolStats?.() : undefined;
        for (const column of columns) {
          if (column === 'gpu-kernels') continue; // filled in with the 'gpu' column
          if (remainingMs() <= 0) {
            result.columns[column] = { status: 'skipped', reason: `time limit of ${config.timeLimitS} s reached` };
            if (column === 'gpu' && columns.includes('gpu-kernels')) result.columns['gpu-kernels'] = result.columns[column];
            continue;
          }
          Object.assign(result.columns, await measureColumn(column, op, image, inputPath, policy, participants));
        }
        const after = op.id === 'pipeline' ? participants.gpu?.poolStats?.() : undefined;
        if (before && after && result.columns.gpu?.status === 'ok') {
          memory.push(memoryGrowth(size, 1, before, after));
        }
        sizeCases.set(op.id, result);
        env.log(describeCase(result));
      }
      for (const op of ops) cases.push(sizeCases.get(op.id)!);
    }

    const throughput = await measureThroughput(config, inputs, participants, policy, remainingMs, memory, env.log);

    const sections: SectionResult[] = [];
    for (const section of env.sections ?? []) {
      try {
        const result = await section.run({ config, inputs, workDir: env.workDir, log: env.log, remainingMs });
        sections.push({ id: section.id, title: section.title, ...result });
      } catch (error) {
        sections.push({ id: section.id, title: section.title, markdown: `Failed: ${messageOf(error)}`, data: null });
      }
    }

    for (const [column, reason] of Object.entries(participants.unavailable)) {
      if (column !== 'gpu-kernels') notes.push(`${column}: ${reason}`);
    }
    return {
      schema: RESULTS_SCHEMA,
      startedAt,
      durationS: (now() - started) / 1000,
      config,
      inputs: inputs.description,
      machine,
      cases,
      throughput,
      memory,
      sections,
      notes,
    };
  } finally {
    await Promise.all(Object.values(participants.peers).map((peer) => peer.close().catch(() => {})));
    await participants.cpu?.dispose();
    await releaseGpu?.();
  }
}

async function measureColumn(
  column: Exclude<ColumnId, 'gpu-kernels'>,
  op: BenchOp,
  image: Image2D<Uint8Array>,
  inputPath: string,
  policy: RunPolicy,
  participants: Participants,
): Promise<Partial<Record<ColumnId, Measurement>>> {
  const unavailable = participants.unavailable[column];
  if (unavailable) {
    const failed: Measurement = { status: 'failed', reason: unavailable };
    return column === 'gpu' ? { gpu: failed, 'gpu-kernels': failed } : { [column]: failed };
  }
  if (column === 'cpu' || column === 'gpu') {
    const engine = column === 'cpu' ? participants.cpu! : participants.gpu!;
    try {
      const samples = await measure(() => runWork(engine, op.work, [image]), policy);
      if (column === 'cpu') return { cpu: fromSamples(samples.map((s) => s.wallMs)) };
      return { gpu: fromSamples(samples.map((s) => s.wallMs)), 'gpu-kernels': kernelMeasurement(samples, op) };
    } catch (error) {
      const failed: Measurement = { status: 'failed', reason: messageOf(error) };
      return column === 'gpu' ? { gpu: failed, 'gpu-kernels': failed } : { cpu: failed };
    }
  }
  const peer = participants.peers[column]!;
  try {
    const timing = await peer.time({
      input: inputPath,
      ops: peerOps(op.work),
      warmup: policy.warmup,
      repeat: policy.repeat,
      budgetS: policy.budgetMs / 1000,
    });
    if (timing.ok) return { [column]: fromSamples(timing.timesMs) };
    return { [column]: { status: timing.unsupported ? 'unsupported' : 'failed', reason: timing.error } };
  } catch (error) {
    participants.unavailable[column] = messageOf(error); // the process died: later cases say so
    return { [column]: { status: 'failed', reason: messageOf(error) } };
  }
}

/** Runs `work` once on `images`; returns the GPU kernels' time when the engine measured one for this call. */
async function runWork(engine: Engine | TimedEngine, work: BenchWork, images: Image2D<Uint8Array>[]): Promise<number | undefined> {
  const timed = 'lastTimings' in engine ? engine : undefined;
  const previous = timed?.lastTimings;
  if (work.kind === 'histogram') {
    for (const image of images) await engine.histogram(image, work.options);
  } else if (images.length === 1) {
    await engine.run(images[0], work.requests);
  } else {
    await engine.runBatch(images, work.requests);
  }
  const timings = timed?.lastTimings;
  // Only calls that recorded a command graph update lastTimings (the histogram does not).
  return timings && timings !== previous ? (timings.kernelMs ?? undefined) : undefined;
}

function kernelMeasurement(samples: RunSample[], op: BenchOp): Measurement {
  const kernels = samples.map((s) => s.innerMs);
  if (kernels.every((ms): ms is number => ms !== undefined)) return fromSamples(kernels);
  const reason =
    op.work.kind === 'histogram'
      ? 'the histogram is counted outside the timed command graph'
      : 'no kernel time reported (the adapter lacks timestamp queries)';
  return { status: 'unsupported', reason };
}

function fromSamples(samplesMs: number[]): Measurement {
  return { status: 'ok', samplesMs, ...summarize(samplesMs) };
}

function memoryGrowth(
  size: number,
  images: number,
  before: { bytesInUse: number; bytesFree: number; created: number },
  after: { bytesInUse: number; bytesFree: number; created: number },
): MemoryResult {
  return {
    size,
    images,
    bytesHeld: after.bytesInUse + after.bytesFree - (before.bytesInUse + before.bytesFree),
    planeBytes: size * size * 4,
    buffersCreated: after.created - before.created,
  };
}

/** Several images through the whole tutorial pipeline: one call for all (runBatch) and one call each. */
async function measureThroughput(
  config: BenchConfig,
  inputs: BenchInputs,
  participants: Participants,
  policy: RunPolicy,
  remainingMs: () => number,
  memory: MemoryResult[],
  log: (line: string) => void,
): Promise<ThroughputResult[]> {
  if (config.throughputImages < 1 || !config.ops.includes('pipeline')) return [];
  const pipeline = benchOpsByIds(['pipeline'])[0].work;
  if (pipeline.kind !== 'run') return [];
  const size = config.throughputSize;
  const images = inputs.images(size, config.throughputImages);
  const results: ThroughputResult[] = [];
  const plans: { engine: 'cpu' | 'gpu'; mode: 'runBatch' | 'run' }[] = [
    { engine: 'gpu', mode: 'runBatch' },
    { engine: 'gpu', mode: 'run' },
    { engine: 'cpu', mode: 'runBatch' },
  ];
  for (const { engine: name, mode } of plans) {
    const engine = name === 'cpu' ? participants.cpu : participants.gpu;
    if (!engine || participants.unavailable[name]) continue;
    const base = { engine: name, size, images: images.length, mode };
    if (remainingMs() <= 0) {
      results.push({ ...base, measurement: { status: 'skipped', reason: `time limit of ${config.timeLimitS} s reached` } });
      continue;
    }
    const before = name === 'gpu' && mode === 'runBatch' ? participants.gpu?.poolStats?.() : undefined;
    try {
      const runOnce =
        mode === 'runBatch'
          ? () => runWork(engine, pipeline, images)
          : async () => {
              for (const image of images) await engine.run(image, pipeline.requests);
            };
      const measurement = fromSamples((await measure(runOnce, policy)).map((s) => s.wallMs));
      const imagesPerSecond = measurement.status === 'ok' ? perSecond(images.length, measurement.medianMs) : undefined;
      results.push({ ...base, measurement, imagesPerSecond });
      log(`throughput ${name} ${mode} ${images.length} x ${size}²: ${imagesPerSecond?.toFixed(2)} images/s`);
    } catch (error) {
      results.push({ ...base, measurement: { status: 'failed', reason: messageOf(error) } });
    }
    const after = before ? participants.gpu?.poolStats?.() : undefined;
    if (before && after) memory.push(memoryGrowth(size, images.length, before, after));
  }
  return results;
}

/** One progress line: "512² gaussian: cpu 12.1 ms, gpu 3.2 ms (kernels 0.4), scipy 9.0 ms". */
export function describeCase(result: CaseResult): string {
  const parts = Object.entries(result.columns)
    .filter(([column]) => column !== 'gpu-kernels')
    .map(([column, m]) => {
      if (m.status !== 'ok') return `${column} ${m.status}`;
      const kernels = column === 'gpu' ? result.columns['gpu-kernels'] : undefined;
      const inner = kernels?.status === 'ok' ? ` (kernels ${formatMs(kernels.medianMs)})` : '';
      return `${column} ${formatMs(m.medianMs)}${inner}`;
    });
  return `${result.size}² ${result.op}: ${parts.join(', ')}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
