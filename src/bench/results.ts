/**
 * The shape of results.json: everything a report, chart or README section is made from, so those
 * can be redrawn from a saved run (e.g. one made on a lent GPU) without measuring again.
 */
import type { PeerInfo, PeerName } from './peers.js';
import type { Summary } from './statistics.js';

export const RESULTS_SCHEMA = 'xray-gpu-bench/1';

/** The timing columns of the table: engines, the GPU's kernels alone, and the peers. */
export const COLUMNS = ['cpu', 'gpu', 'gpu-kernels', 'scipy', 'opencv'] as const;
export type ColumnId = (typeof COLUMNS)[number];

export const COLUMN_TITLES: Record<ColumnId, string> = {
  cpu: 'CPU engine',
  gpu: 'GPU end to end',
  'gpu-kernels': 'GPU kernels',
  scipy: 'SciPy',
  opencv: 'OpenCV',
};

/** A column's outcome for one case: timings, or why there are none. */
export type Measurement =
  | ({ status: 'ok'; samplesMs: number[] } & Summary)
  | { status: 'unsupported' | 'failed' | 'skipped'; reason: string };

export interface CaseResult {
  op: string;
  size: number;
  /** Keys are ColumnIds; a column absent from the run is absent here. */
  columns: Partial<Record<ColumnId, Measurement>>;
}

export interface AdapterDescription {
  summary: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  backend: string;
  isSwiftShader: boolean;
  isSoftware: boolean;
  /** Whether kernel times come from timestamp queries. */
  timestamps: boolean;
}

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** Whether the CPU engine ran its hot loops in WebAssembly SIMD (absent in results from before it did). */
  cpuSimd?: boolean;
  /** The WebGPU adapter the GPU engine ran on; null when the GPU engine was not run or had none. */
  adapter: AdapterDescription | null;
  /** A peer that could not start has its reason instead. */
  peers: Partial<Record<PeerName, PeerInfo | { unavailable: string }>>;
  /** Free text, e.g. "lent H100 through the device tool"; from --machine-note. */
  note?: string;
}

/** Images per second for several images of one size through the whole tutorial pipeline. */
export interface ThroughputResult {
  engine: 'cpu' | 'gpu';
  size: number;
  images: number;
  /** 'runBatch': all images in one call (one submit on the GPU); 'run': one call per image. */
  mode: 'runBatch' | 'run';
  measurement: Measurement;
  imagesPerSecond?: number;
}

/** GPU memory the engine's buffer pool holds for one tutorial pipeline run. */
export interface MemoryResult {
  size: number;
  images: number;
  /** Bytes the pool acquired for the run (in use + free for reuse), counted as the growth it caused. */
  bytesHeld: number;
  /** Bytes of one float32 plane of this size, for scale. */
  planeBytes: number;
  buffersCreated: number;
}

/** A section run by a plug-in (e.g. the batch benchmark of bench/batch), reported as it says. */
export interface SectionResult {
  id: string;
  title: string;
  /** Markdown for results.md. */
  markdown: string;
  data: unknown;
}

export interface BenchConfig {
  engines: ('cpu' | 'gpu')[];
  peers: PeerName[];
  sizes: number[];
  ops: string[];
  repeat: number;
  warmup: number;
  /** Per case and column: stop timing after this many seconds once minRuns exist. */
  budgetS: number;
  minRuns: number;
  /** Images per call in the throughput measurement, and its size. */
  throughputImages: number;
  throughputSize: number;
  /** The whole run stops starting new cases after this many seconds (Infinity: no limit). */
  timeLimitS: number;
  quick: boolean;
}

export interface BenchResults {
  schema: typeof RESULTS_SCHEMA;
  startedAt: string;
  durationS: number;
  config: BenchConfig;
  inputs: string;
  machine: MachineDescription;
  cases: CaseResult[];
  throughput: ThroughputResult[];
  memory: MemoryResult[];
  sections: SectionResult[];
  /** Anything the reader must know to read the numbers (emulation, skipped sizes, thread counts). */
  notes: string[];
}

export function isBenchResults(value: unknown): value is BenchResults {
  return typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === RESULTS_SCHEMA;
}

/** The columns this configuration fills, in table order. */
export function columnsOf(config: Pick<BenchConfig, 'engines' | 'peers'>): ColumnId[] {
  const columns: ColumnId[] = [];
  if (config.engines.includes('cpu')) columns.push('cpu');
  if (config.engines.includes('gpu')) columns.push('gpu', 'gpu-kernels');
  for (const peer of config.peers) columns.push(peer);
  return columns;
}
