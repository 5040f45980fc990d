/** `xray-gpu filter INPUT --op OP [parameters] --out FILE`: one filter on one image. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { BOUNDARY_MODES } from '../filters/boundary.js';
import { OP_NAMES, type OpName, type OpParams, type OpRequest, opRequest } from '../filters/ops.js';
import { bytesPerPixelFor, memoryBudgetCheck } from '../filters/memory.js';
import { readImageFile, writeImageFile } from '../io/image-file.js';
import { sameFile } from '../pipeline/input-checks.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { COLORMAP_NAMES } from '../render/colormap.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
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
  parseNumber,
  parseNumberOrPair,
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
  engine: EngineChoice;
  cmap?: string;
  out?: string;
  maxPixels?: number;
  maxFileSize?: number;
  maxMemory?: number;
  overwrite?: boolean;
}

export function registerFilterCommand(program: Command): void {
  program
    .command('filter')
    .description('apply one filter to an image and write the result (.npy: raw float32; .png: scaled to 8 bits)')
    .argument('<input>', 'a PNG, JPEG, DICOM or 2-D .npy image')
    .addOption(new Option('--op <op>', 'the filter (required)').choices(OP_NAMES))
    .option('--out <file>', 'FILE.npy (float32, no rescaling) or FILE.png (min-max scaled to 8 bits) (required)')
    .addOption(new Option('--sigma <s>', 'Gaussian sigma: S, or ROWS,COLS per axis').argParser(parseNumberOrPair))
    .addOption(new Option('--order <o>', 'gaussian: derivative order 0..3, or ROWS,COLS per axis').argParser(parseNumberOrPair))
    .addOption(new Option('--axis <axis>', 'sobel/prewitt: 0 or -2 (rows), 1 or -1 (columns); default -1, as SciPy').argParser(parseAxis))
    .addOption(new Option('--mode <mode>', 'boundary mode').choices(BOUNDARY_MODES))
    .addOption(new Option('--cval <v>', 'value outside the image in constant mode').argParser(parseNumber))
    .addOption(new Option('--truncate <t>', 'Gaussian radius in sigmas').argParser(parseNumber))
    .addOption(new Option('--radius <r>', 'Gaussian radius in pixels (overrides --truncate)').argParser(parseNonNegativeInteger))
    .addOption(new Option('--threshold <t>', 'mask / mask-binary: keep pixels above this').argParser(parseNumber))
    .addOption(new Option('--low-threshold <t>', 'canny: weak-edge bound (input dtype units; default 10% of its max)').argParser(parseNumber))
    .addOption(new Option('--high-threshold <t>', 'canny: strong-edge bound (default 20% of the dtype max)').argParser(parseNumber))
    .option('--use-quantiles', 'canny: the thresholds are quantiles (0..1) of the gradient magnitude')
    .addOption(engineOption())
    .addOption(new Option('--cmap <name>', '.png output: colour with this matplotlib colormap').choices(COLORMAP_NAMES))
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption())
    .option('--overwrite', 'allow --out to be the input file itself (replaced by the result)')
    .action(async (input: string, options: FilterOptions) => runFilter(input, options));
}

async function runFilter(input: string, options: FilterOptions): Promise<void> {
  const { op, out } = options;
  if (op === undefined) throw new UsageError(`--op is required: one of ${OP_NAMES.join(', ')}`);
  if (out === undefined) throw new UsageError('--out is required: FILE.npy or FILE.png');
  const request = toRequest(op, options);
  const extension = out.slice(out.lastIndexOf('.')).toLowerCase();
  if (extension !== '.npy' && extension !== '.png') throw new UsageError(`--out must end in .npy or .png, got "${out}"`);
  if (options.cmap !== undefined && extension !== '.png') {
    throw new UsageError(`--cmap applies to .png output only (.npy holds the raw values), got --out "${out}"`);
  }
  if (!options.overwrite && (await sameFile(input, out))) {
    throw new UsageError(`--out ${out} is the input file; the result would replace it: add --overwrite to allow that, or choose another --out`);
  }
  const image = await readImageFile(input, {
    ...readOptionsOf(options),
    maxFileBytes: options.maxFileSize,
    checkSize: memoryBudgetCheck(`filter --op ${op}`, bytesPerPixelFor([request]), options.maxMemory ?? defaultMemoryBudget()),
  });
  const engine = await selectEngine(options.engine, { log: logToStderr });
  try {
    const [result] = await engine.run(image, [request]);
    await writeImageFile(out, result, { cmap: options.cmap });
  } finally {
    await engine.dispose();
    releaseNodeGpu();
  }
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
