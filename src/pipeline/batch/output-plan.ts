/**
 * What a batch writes for each input: the list of outputs (`--ops`), their file names, and where
 * they go. The output tree mirrors the input tree: `a/b/x.png` gives `OUT/a/b/x.<label>.<format>`,
 * one file per op, where the label is the op name plus any parameters given (`gaussian-sigma3`,
 * `gaussian-sigma2_1-order0_1`).
 */
import path from 'node:path';
import type { OpName, OpRequest } from '../../filters/ops.js';
import { parseOpsArgs } from './ops-syntax.js';

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
export const DEFAULT_BATCH_OPS = [
  'gaussian-laplace',
  'gaussian-gradient-magnitude',
  'sobel-magnitude',
  'tutorial-canny',
  'mask',
  'mask-binary',
] as const satisfies readonly OpName[];

export function defaultOutputs(): PlannedOutput[] {
  return DEFAULT_BATCH_OPS.map((op) => ({ label: op, request: { op } }));
}

/** Parses one `--ops` value (see ops-syntax.ts for the syntax). */
export function parseOpsList(list: string): PlannedOutput[] {
  return parseOpsArgs([list]);
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
