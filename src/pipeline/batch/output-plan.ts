/**
 * What a batch writes for each input: the list of outputs (`--ops`), their file names, and where
 * they go. The output tree mirrors the input tree: `a/b/x.png` gives `OUT/a/b/x.<label>.<format>`,
 * one file per op, where the label is the op name plus any parameters given (`gaussian-sigma3`).
 */
import path from 'node:path';
import { type OpName, type OpParams, type OpRequest, OP_NAMES, opRequest, validateOpName } from '../../filters/ops.js';
import { BOUNDARY_MODES } from '../../filters/boundary.js';

export const OUTPUT_FORMATS = ['png', 'npy'] as const;
/** png: 8-bit, min-max scaled per image (as `filter --out x.png`); npy: float32, the raw result. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface PlannedOutput {
  /** Names the output in file names and the manifest, unique within a plan. */
  label: string;
  request: OpRequest;
}

/**
 * The NumPy tutorial's outputs, which the batch peers (bench/peers/*_batch.py) write too: Laplacian of
 * Gaussian σ1, Gaussian gradient magnitude σ2, Sobel magnitude, the tutorial's "Canny" (Prewitt of a
 * Fourier-Gaussian), and both masks (> 150). The ops' defaults are the tutorial's values. (`run` adds a
 * true Canny panel that the tutorial does not have; the batch default keeps to the tutorial.)
 */
export const DEFAULT_BATCH_OPS: readonly OpName[] = [
  'gaussian-laplace',
  'gaussian-gradient-magnitude',
  'sobel-magnitude',
  'tutorial-canny',
  'mask',
  'mask-binary',
];

export function defaultOutputs(): PlannedOutput[] {
  return DEFAULT_BATCH_OPS.map((op) => ({ label: op, request: { op } }));
}

const NUMBER_PARAMS = ['sigma', 'order', 'axis', 'cval', 'truncate', 'radius', 'threshold'] as const;

/**
 * Parses `--ops`: comma-separated op names, each optionally followed by `:key=value` parameters,
 * e.g. `gaussian-laplace,gaussian:sigma=3:order=1,mask:threshold=100`. Every request is validated
 * (unknown op, parameter the op does not take, value out of range); labels must be unique.
 */
export function parseOpsList(list: string): PlannedOutput[] {
  const items = list.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new RangeError(`--ops must be a comma-separated list of op names (${OP_NAMES.join(', ')}), got ${JSON.stringify(list)}`);
  }
  const outputs = items.map(parseOpItem);
  const seen = new Set<string>();
  for (const { label } of outputs) {
    if (seen.has(label)) throw new RangeError(`--ops lists ${label} twice; give each a different parameter`);
    seen.add(label);
  }
  return outputs;
}

function parseOpItem(item: string): PlannedOutput {
  const [name, ...items] = item.split(':');
  const op = validateOpName(name);
  const params: OpParams = {};
  const labelParts: string[] = [op];
  for (const param of items) {
    const match = /^([a-z]+)=(.+)$/.exec(param);
    if (!match) throw new RangeError(`op parameter must be key=value, got ${JSON.stringify(param)} in ${JSON.stringify(item)}`);
    const [, key, text] = match;
    setParam(params, key, text, item);
    labelParts.push(`${key}${text}`);
  }
  return { label: labelParts.join('-'), request: opRequest(op, params) };
}

function setParam(request: OpParams, key: string, text: string, item: string): void {
  if (key in request) throw new RangeError(`parameter ${key} given twice in ${JSON.stringify(item)}`);
  if (key === 'mode') {
    if (!(BOUNDARY_MODES as readonly string[]).includes(text)) {
      throw new RangeError(`mode must be one of ${BOUNDARY_MODES.join(', ')}; got ${JSON.stringify(text)} in ${JSON.stringify(item)}`);
    }
    request.mode = text as OpParams['mode'];
    return;
  }
  if (!(NUMBER_PARAMS as readonly string[]).includes(key)) {
    throw new RangeError(`unknown op parameter ${key} in ${JSON.stringify(item)}; known: ${[...NUMBER_PARAMS, 'mode'].join(', ')}`);
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new RangeError(`parameter ${key} must be a number, got ${JSON.stringify(text)} in ${JSON.stringify(item)}`);
  }
  request[key as (typeof NUMBER_PARAMS)[number]] = value;
}

/** The input's name without its extension, e.g. `a/b/x.png` -> `a/b/x`. */
function stem(relativeInput: string): string {
  const extension = path.posix.extname(relativeInput);
  return extension ? relativeInput.slice(0, -extension.length) : relativeInput;
}

/**
 * Output paths relative to the output directory (`/`-separated), in plan order. `keepExtension`
 * (for inputs whose names differ only in their extension, e.g. x.png and x.PNG; see WalkEntry.sharesStem)
 * keeps the input's whole name, `x.PNG.sobel-magnitude.png`, so no two inputs write one file.
 */
export function outputPathsFor(
  relativeInput: string,
  outputs: readonly PlannedOutput[],
  format: OutputFormat,
  options: { keepExtension?: boolean } = {},
): string[] {
  const base = options.keepExtension ? relativeInput : stem(relativeInput);
  return outputs.map(({ label }) => `${base}.${label}.${format}`);
}
