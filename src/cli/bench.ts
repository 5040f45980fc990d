/**
 * `xray-gpu bench`: times every op on the CPU engine, the GPU engine (end to end and kernels alone)
 * and the peers (SciPy, OpenCV) at several image sizes, and writes results.json, results.md and
 * chart.png. `--from-json` redraws results.md and the chart from a saved results.json (e.g. one
 * made on a lent GPU, where the chart library is not carried).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createCpuEngine } from '../cpu/engine.js';
import { BENCH_OP_IDS, QUICK_OP_IDS } from '../bench/cases.js';
import { renderChartPng } from '../bench/chart.js';
import { createBenchGpu } from '../bench/dawn.js';
import { type BenchSection, runBenchmark } from '../bench/harness.js';
import { imageInputs, syntheticInputs } from '../bench/inputs.js';
import { PEER_NAMES, type PeerName, PeerProcess } from '../bench/peers.js';
import { formatResultsMarkdown } from '../bench/report.js';
import { type BenchConfig, type BenchResults, isBenchResults } from '../bench/results.js';
import { batchSection } from '../bench/sections/batch.js';
import { logToStderr, parseNonNegativeInteger, parsePositiveInteger, UsageError } from './options.js';
import { setCpuSimd } from '../wasm/kernel.js';

const ENGINES = ['cpu', 'gpu'] as const;
const SECTIONS = ['batch'] as const;

/** Defaults of a full run and of --quick (under 5 minutes on 2 cores with the GPU on SwiftShader). */
const FULL = { sizes: [512, 1024, 2048, 4096], ops: BENCH_OP_IDS, repeat: 10, budgetS: 20, throughputImages: 8, throughputSize: 1024 };
const QUICK = { sizes: [512, 1024], ops: QUICK_OP_IDS, repeat: 3, budgetS: 3, throughputImages: 4, throughputSize: 256, timeLimitS: 240 };

interface BenchOptions {
  engines?: ('cpu' | 'gpu')[];
  sizes?: number[];
  ops?: string[];
  repeat?: number;
  warmup: number;
  budget?: number;
  minRuns: number;
  images?: string;
  out: string;
  quick?: boolean;
  peers: PeerName[] | false;
  python: string;
  throughputImages?: number;
  throughputSize?: number;
  timeLimit?: number;
  machineNote?: string;
  sections: (typeof SECTIONS)[number][];
  batchArgs?: string;
  fromJson?: string;
  chart: boolean;
  simd: boolean;
}

/** The `bench` command, for the lead to add to the program (`program.addCommand(benchCommand())`). */
export function benchCommand(): Command {
  return new Command('bench')
    .description('time every op: CPU engine, GPU engine (end to end and kernels), SciPy and OpenCV; writes results.json, results.md, chart.png')
    .addOption(new Option('--engines <list>', `engines to time, from ${ENGINES.join(',')} (default: ${ENGINES.join(',')})`).argParser(listOf(ENGINES)))
    .addOption(new Option('--sizes <list>', `square image sizes (default ${FULL.sizes.join(',')}; --quick ${QUICK.sizes.join(',')})`).argParser(sizeList))
    .addOption(new Option('--ops <list>', `ops to time (default all: ${BENCH_OP_IDS.join(',')})`).argParser(listOf(BENCH_OP_IDS)))
    .addOption(new Option('--repeat <n>', `timed runs per cell (default ${FULL.repeat}; --quick ${QUICK.repeat})`).argParser(parsePositiveInteger))
    .addOption(new Option('--warmup <n>', 'untimed runs before timing each cell').argParser(parseNonNegativeInteger).default(1))
    .addOption(new Option('--budget <seconds>', `stop timing a cell after this long once --min-runs exist (default ${FULL.budgetS}; --quick ${QUICK.budgetS})`).argParser(positiveNumber))
    .addOption(new Option('--min-runs <n>', 'timed runs always taken, budget or not').argParser(parsePositiveInteger).default(1))
    .option('--images <dir>', '8-bit PNGs to resample to each size (default: synthetic chest radiographs)')
    .option('--out <dir>', 'where results.json, results.md and chart.png go; a relative path is under the current folder', 'xray-gpu-bench')
    .option('--quick', `a short run: sizes ${QUICK.sizes.join(',')}, ops ${QUICK.ops.join(',')}, ${QUICK.repeat} runs, at most ${QUICK.timeLimitS} s`)
    .addOption(new Option('--peers <list>', `peers to time, from ${PEER_NAMES.join(',')}`).argParser(listOf(PEER_NAMES)).default([...PEER_NAMES]))
    .option('--no-peers', 'time xray-gpu only')
    .option('--python <path>', 'the Python with SciPy and OpenCV for the peers', defaultPython())
    .addOption(new Option('--throughput-images <n>', `images per call in the throughput test, 0 to skip (default ${FULL.throughputImages})`).argParser(parseNonNegativeInteger))
    .addOption(new Option('--throughput-size <n>', `their size (default ${FULL.throughputSize})`).argParser(parsePositiveInteger))
    .addOption(new Option('--time-limit <seconds>', `start no new cell after this long (default none; --quick ${QUICK.timeLimitS})`).argParser(positiveNumber))
    .option('--machine-note <text>', 'recorded with the machine description, e.g. "lent H100 via the device tool" (default: none)')
    .addOption(new Option('--sections <list>', `extra sections: ${SECTIONS.join(',')} (bench/batch/batch-bench.mjs)`).argParser(listOf(SECTIONS)).default([]))
    .option('--batch-args <args>', 'arguments passed on to bench/batch/batch-bench.mjs, space-separated (default: none)')
    .option('--from-json <file>', 'measure nothing: redraw results.md and chart.png from this results.json into --out (default: its folder)')
    .option('--no-chart', 'do not draw chart.png')
    .option('--no-simd', "the CPU engine's scalar loops instead of WebAssembly SIMD (to measure what SIMD gives)")
    .action(async (options: BenchOptions, command: Command) => runBench(options, command));
}

/** Adds `bench` to the program (the register-style entry the other commands use). */
export function registerBenchCommand(program: Command): void {
  program.addCommand(benchCommand());
}

async function runBench(options: BenchOptions, command: Command): Promise<void> {
  if (options.fromJson) {
    const explicit = (name: string) => command.getOptionValueSource(name) === 'cli';
    const measuring = ['engines', 'sizes', 'ops', 'repeat', 'images', 'quick', 'sections'].filter(explicit);
    if (measuring.length > 0) throw new UsageError(`--from-json measures nothing, so it takes no --${measuring.join(', --')}`);
    const results = await readResults(options.fromJson);
    const out = explicit('out') ? options.out : dirname(options.fromJson);
    await writeReport(results, out, options.chart, false, false);
    return;
  }
  const config = resolveConfig(options);
  const inputs = options.images ? await imageInputs(options.images) : syntheticInputs();
  const sections: BenchSection[] = options.sections.map(() =>
    batchSection({ python: options.python, extraArgs: options.batchArgs?.split(/\s+/).filter(Boolean) }),
  );
  if (!options.simd) setCpuSimd(false);
  const workDir = await mkdtemp(join(tmpdir(), 'xray-gpu-bench-'));
  logToStderr(`bench: ${config.engines.join(', ')}${config.peers.length ? ` vs ${config.peers.join(', ')}` : ''}; sizes ${config.sizes.join(', ')}; ops ${config.ops.join(', ')}`);
  let results: BenchResults;
  try {
    results = await runBenchmark(config, inputs, {
      log: logToStderr,
      createCpuEngine,
      createGpuEngine: () => createBenchGpu(logToStderr),
      startPeer: (name) => PeerProcess.start(name, options.python),
      workDir,
      sections,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  if (options.machineNote) results.machine.note = options.machineNote;
  await writeReport(results, options.out, options.chart, true, true);
}

/** The run's configuration: explicit options, else the --quick or full defaults. */
export function resolveConfig(options: BenchOptions): BenchConfig {
  const preset = options.quick ? QUICK : FULL;
  const sizes = options.sizes ?? preset.sizes;
  const config: BenchConfig = {
    engines: options.engines ?? ['cpu', 'gpu'],
    peers: options.peers === false ? [] : options.peers,
    sizes,
    ops: options.ops ?? [...preset.ops],
    repeat: options.repeat ?? preset.repeat,
    warmup: options.warmup,
    budgetS: options.budget ?? preset.budgetS,
    minRuns: options.minRuns,
    throughputImages: options.throughputImages ?? preset.throughputImages,
    // The preset's throughput size where this run measures it, else this run's smallest size.
    throughputSize: options.throughputSize ?? (sizes.includes(preset.throughputSize) || options.quick ? preset.throughputSize : sizes[0]),
    timeLimitS: options.timeLimit ?? (options.quick ? QUICK.timeLimitS : Infinity),
    quick: options.quick === true,
  };
  if (config.minRuns > config.repeat) throw new UsageError(`--min-runs (${config.minRuns}) cannot exceed --repeat (${config.repeat})`);
  return config;
}

/** Writes results.md and chart.png, and results.json unless it is what the report was read from. */
async function writeReport(results: BenchResults, out: string, chart: boolean, printTable: boolean, writeJson: boolean): Promise<void> {
  await mkdir(out, { recursive: true });
  const markdown = formatResultsMarkdown(results);
  const written: string[] = [];
  if (writeJson) {
    await writeFile(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    written.push('results.json');
  }
  await writeFile(join(out, 'results.md'), markdown);
  written.push('results.md');
  if (chart) {
    const drawn = await renderChartPng(results);
    if (drawn.png) {
      await writeFile(join(out, 'chart.png'), drawn.png);
      written.push('chart.png');
    } else {
      logToStderr(`bench: no chart: ${drawn.reason}`);
    }
  }
  if (printTable) process.stdout.write(markdown);
  logToStderr(`bench: wrote ${written.map((name) => join(out, name)).join(', ')}`);
}

async function readResults(path: string): Promise<BenchResults> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read benchmark results from ${path}`, { cause: error });
  }
  if (!isBenchResults(parsed)) throw new Error(`${path} is not an xray-gpu bench results.json (no "schema": "xray-gpu-bench/1")`);
  // JSON has no Infinity: a run without a time limit was saved with null.
  parsed.config.timeLimitS ??= Infinity;
  return parsed;
}

/** Debian's python3 has SciPy and OpenCV here; elsewhere whatever `python3` is on the PATH. */
function defaultPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value.split(',').map((item) => item.trim()).filter(Boolean);
    const bad = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (items.length === 0 || bad.length > 0) {
      throw new InvalidArgumentError(`expected a comma-separated list from ${allowed.join(', ')}, got "${value}".`);
    }
    return [...new Set(items)] as T[];
  };
}

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((item) => parsePositiveInteger(item.trim()));
  const tooSmall = sizes.filter((size) => size < 64);
  if (tooSmall.length > 0) throw new InvalidArgumentError(`sizes must be at least 64, got ${tooSmall.join(', ')}.`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}".`);
  return number;
}
