/** `xray-gpu filter INPUTS... --op OP [parameters] --out FILE|DIR/`: one filter on each image. */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname, join, sep } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { BOUNDARY_MODES } from '../filters/boundary.js';
import { OP_NAMES, type OpName, type OpParams, type OpRequest, opRequest } from '../filters/ops.js';
import { RESIZE_METHODS, type ResizeMethod } from '../filters/resize.js';
import { bytesPerPixelFor, memoryBudgetCheck } from '../filters/memory.js';
import { readImageFile, writeImageFile } from '../io/image-file.js';
import { sameFile } from '../pipeline/input-checks.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { isMatplotlibColormapName } from '../render/colormap.js';
import { labelOf } from '../pipeline/batch/ops-syntax.js';
import { expandInputs } from '../pipeline/inputs.js';
import { uniqueStems } from '../pipeline/run.js';
import type { Engine } from '../engine.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { formatOpsListing, paramHelp } from './ops-listing.js';
import {
  UsageError,
  engineOption,
  logToStderr,
  maxPixelsOption,
  dicomValuesOption,
  frameOption,
  type InputFlags,
  readOptionsOf,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parseNumber,
  parseNumberOrPair,
  checkDisplayRange,
  parsePercentiles,
} from './options.js';

interface FilterOptions extends InputFlags {
  // Checked in the action rather than by commander, which would report them before unknown options.
  op?: OpName;
  sigma?: number | [number, number];
  order?: number | [number, number];
  axis?: number;
  mode?: OpParams['mode'];
  cval?: number;
  truncate?: number;
  radius?: number;
  threshold?: number;
  lowThreshold?: number;
  highThreshold?: number;
  useQuantiles?: boolean;
  height?: number;
  width?: number;
  method?: ResizeMethod;
  kernelSize?: number | [number, number];
  clipLimit?: number;
  nbins?: number;
  engine: EngineChoice;
  cmap?: string;
  vmin?: number;
  vmax?: number;
  clipPercentile?: [number, number];
  out?: string;
  format: 'png' | 'npy';
  listOps?: boolean;
  maxPixels?: number;
  maxFileSize?: number;
  maxMemory?: number;
  overwrite?: boolean;
}

export function registerFilterCommand(program: Command): void {
  program
    .command('filter')
    .description('apply one filter to images and write each result (.npy: raw float32; .png: scaled to 8 bits); --list-ops lists the ops')
    .argument('[inputs...]', 'PNG, DICOM, JPEG or 2-D .npy images, or directories of them')
    .addOption(new Option('--op <op>', 'the filter (required); "xray-gpu ops" lists each with its parameters').choices(OP_NAMES))
    .option('--out <path>', 'FILE.npy (float32, no rescaling) or FILE.png (min-max scaled to 8 bits) for one input; a folder (DIR/) for several, written as DIR/<name>.<op label>.<format> (required)')
    .addOption(new Option('--format <format>', 'with --out DIR/: the output kind').choices(['png', 'npy']).default('png'))
    .option('--list-ops', 'list every op with its parameters, defaults and SciPy/skimage equivalent, and exit')
    .addOption(new Option('--sigma <s>', paramHelp('--sigma')).argParser(parseNumberOrPair))
    .addOption(new Option('--order <o>', paramHelp('--order')).argParser(parseNumberOrPair))
    .addOption(new Option('--axis <axis>', paramHelp('--axis')).argParser(parseAxis))
    .addOption(new Option('--mode <mode>', paramHelp('--mode', { accepts: false })).choices(BOUNDARY_MODES))
    .addOption(new Option('--cval <v>', paramHelp('--cval')).argParser(parseNumber))
    .addOption(new Option('--truncate <t>', paramHelp('--truncate')).argParser(parseNumber))
    .addOption(new Option('--radius <r>', paramHelp('--radius')).argParser(parseNonNegativeInteger))
    .addOption(new Option('--threshold <t>', paramHelp('--threshold')).argParser(parseNumber))
    .addOption(new Option('--low-threshold <t>', paramHelp('--low-threshold')).argParser(parseNumber))
    .addOption(new Option('--high-threshold <t>', paramHelp('--high-threshold')).argParser(parseNumber))
    .option('--use-quantiles', paramHelp('--use-quantiles', { accepts: false }))
    .addOption(new Option('--height <rows>', paramHelp('--height')).argParser(parsePositiveInteger))
    .addOption(new Option('--width <columns>', paramHelp('--width')).argParser(parsePositiveInteger))
    .addOption(new Option('--method <method>', paramHelp('--method', { accepts: false })).choices(RESIZE_METHODS))
    .addOption(new Option('--kernel-size <k>', paramHelp('--kernel-size')).argParser(parseNumberOrPair))
    .addOption(new Option('--clip-limit <c>', paramHelp('--clip-limit')).argParser(parseNumber))
    .addOption(new Option('--nbins <n>', paramHelp('--nbins')).argParser(parsePositiveInteger))
    .addOption(engineOption())
    .addOption(
      new Option('--cmap <name>', ".png output: colour with this matplotlib 3.6 colormap, any of its names (gray, hot, bone, jet, viridis, gray_r, ...; default: 8-bit gray levels)").argParser(
        parseColormap,
      ),
    )
    .addOption(new Option('--vmin <v>', ".png output: the value shown as the lowest level (imshow's vmin; default: the data's min)").argParser(parseNumber))
    .addOption(new Option('--vmax <v>', ".png output: the value shown as the highest level (imshow's vmax; default: the data's max)").argParser(parseNumber))
    .addOption(
      new Option('--clip-percentile <low,high>', '.png output: vmin and vmax from these percentiles of the data, e.g. 1,99 (default: none, the full range)').argParser(parsePercentiles),
    )
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption())
    .option('--overwrite', 'allow --out to be an input file itself (replaced by the result)')
    .action(async (inputs: string[], options: FilterOptions, command: Command) => runFilter(inputs, options, command.getOptionValueSource('format') === 'cli'));
}

async function runFilter(inputs: string[], options: FilterOptions, formatGiven: boolean): Promise<void> {
  if (options.listOps) {
    process.stdout.write(formatOpsListing());
    return;
  }
  const { op, out } = options;
  if (inputs.length === 0) throw new UsageError('give at least one input image');
  if (op === undefined) throw new UsageError(`--op is required: one of ${OP_NAMES.join(', ')}`);
  if (out === undefined) throw new UsageError('--out is required: FILE.npy or FILE.png, or DIR/ for several inputs');
  const request = toRequest(op, options);
  checkDisplayRange(options);
  const files = await expandInputs(inputs);
  const toDirectory = out.endsWith('/') || out.endsWith(sep) || (await isDirectory(out));
  if (!toDirectory && files.length > 1) {
    throw new UsageError(`--out "${out}" is one file but there are ${files.length} inputs: give a folder, e.g. --out ${dirname(out)}/filtered/`);
  }
  if (!toDirectory && formatGiven) {
    throw new UsageError('--format applies to --out DIR/; with --out FILE the extension says the kind');
  }
  const extension = toDirectory ? `.${options.format}` : extname(out).toLowerCase();
  if (extension !== '.npy' && extension !== '.png') throw new UsageError(`--out must end in .npy or .png, or be a folder (DIR/), got "${out}"`);
  const display = { cmap: options.cmap, vmin: options.vmin, vmax: options.vmax, clipPercentile: options.clipPercentile };
  if (extension !== '.png') {
    const given = (['cmap', 'vmin', 'vmax', 'clipPercentile'] as const).filter((key) => display[key] !== undefined).map(kebabFlag);
    if (given.length > 0) throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to .png output only (.npy holds the raw values), got ${toDirectory ? '--format npy' : `--out "${out}"`}`);
  }
  const targets = toDirectory
    ? uniqueStems(files).map((stem) => join(out, `${stem}.${labelOf(request)}${extension}`))
    : [out];
  if (toDirectory) await mkdir(out, { recursive: true });
  // Chosen once the first input has been read, so a bad input fails before any engine line.
  let engine: Engine | undefined;
  const failed: string[] = [];
  try {
    for (const [index, file] of files.entries()) {
      try {
        if (!options.overwrite && (await sameFile(file, targets[index]))) {
          throw new UsageError(`--out ${targets[index]} is the input file; the result would replace it: add --overwrite to allow that, or choose another --out`);
        }
        const image = await readImageFile(file, {
          ...readOptionsOf(options),
          maxFileBytes: options.maxFileSize,
          checkSize: memoryBudgetCheck(`filter --op ${op}`, bytesPerPixelFor([request]), options.maxMemory ?? defaultMemoryBudget()),
        });
        engine ??= await selectEngine(options.engine, { log: logToStderr });
        const [result] = await engine.run(image, [request]);
        await writeImageFile(targets[index], result, definedOnly(display));
      } catch (error) {
        // One input alone: its error is the command's. Several: each failure is said, the others go on.
        if (files.length === 1) throw error;
        failed.push(file);
        logToStderr(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await engine?.dispose();
    releaseNodeGpu();
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${files.length} inputs failed: ${failed.join(', ')}`);
}

const PROGRAM = 'xray-gpu';

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function kebabFlag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** The request holds only the parameters given, so validateOp rejects those the op does not take. */
function toRequest(op: OpName, options: FilterOptions): OpRequest {
  const params: OpParams = {
    sigma: options.sigma,
    order: options.order,
    axis: options.axis,
    mode: options.mode,
    cval: options.cval,
    truncate: options.truncate,
    radius: options.radius,
    threshold: options.threshold,
    lowThreshold: options.lowThreshold,
    highThreshold: options.highThreshold,
    useQuantiles: options.useQuantiles,
    height: options.height,
    width: options.width,
    method: options.method,
    kernelSize: options.kernelSize,
    clipLimit: options.clipLimit,
    nbins: options.nbins,
  };
  try {
    return opRequest(op, params);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function parseAxis(value: string): number {
  if (!['0', '1', '-1', '-2'].includes(value)) {
    throw new InvalidArgumentError(`expected 0 or -2 (rows), 1 or -1 (columns), got "${value}".`);
  }
  return Number(value);
}

function parseColormap(value: string): string {
  if (!isMatplotlibColormapName(value)) {
    throw new InvalidArgumentError(`unknown colormap "${value}": expected a matplotlib 3.6 colormap name, such as gray, hot, bone, jet, viridis or gray_r.`);
  }
  return value;
}
