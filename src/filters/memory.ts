/**
 * Working memory of an image through the filters, estimated from its size before any pixel memory is
 * allocated, so that a small file declaring a huge image (a 261 KB PNG of 16384 x 16384 zeros) is
 * refused at once instead of taking the machine's memory.
 *
 * The figures are peak resident bytes per pixel of `filter --op OP --engine cpu` on a 4096 x 4096
 * 8-bit PNG (GNU time's maximum RSS less Node's own 50 MB), times 1.2: they cover
 * the decode, the float64 input, the op's intermediates and outputs, and encoding a .npy or .png.
 * Ops the table does not know count as the costliest known op.
 */
import type { OpRequest } from './ops.js';

/** Measured bytes per pixel (x 1.2); see the module comment. Measured .npy outputs, the larger. */
const OP_BYTES_PER_PIXEL: Readonly<Record<string, number>> = {
  gaussian: 31,
  'gaussian-laplace': 31,
  'gaussian-gradient-magnitude': 31,
  sobel: 41,
  prewitt: 41,
  laplace: 42,
  'sobel-magnitude': 62,
  'prewitt-magnitude': 62,
  'fourier-gaussian': 32,
  'tutorial-canny': 71,
  mask: 32,
  'mask-binary': 32,
  canny: 66,
};
const UNKNOWN_OP_BYTES_PER_PIXEL = Math.max(...Object.values(OP_BYTES_PER_PIXEL));
/** Each further op of one call adds its float64 output (8) and its float32/8-bit encoding (4). */
const EXTRA_OUTPUT_BYTES_PER_PIXEL = 12;
/** `stats`: decode, the float64 copy sorted for the median, and the histogram pass. */
export const STATS_BYTES_PER_PIXEL = 12;
/** `run`: the whole tutorial on one image (every panel kept for the figures), its figures and report (measured as above, 295 B/px). */
export const RUN_BYTES_PER_PIXEL = 354;

/** Bytes per pixel of one image through `requests` in one engine call: the costliest op, plus each further output. */
export function bytesPerPixelFor(requests: readonly Pick<OpRequest, 'op'>[]): number {
  if (requests.length === 0) return STATS_BYTES_PER_PIXEL;
  const costs = requests.map((r) => OP_BYTES_PER_PIXEL[r.op] ?? UNKNOWN_OP_BYTES_PER_PIXEL);
  return Math.max(...costs) + EXTRA_OUTPUT_BYTES_PER_PIXEL * (requests.length - 1);
}

/** A refusal: the image would need more working memory than the budget allows. */
export class MemoryBudgetError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryBudgetError';
  }
}

/**
 * A size check (for `readImageFile`'s `checkSize`) that refuses images whose estimated working
 * memory, `width * height * bytesPerPixel`, exceeds `budgetBytes`. `what` names the work, e.g.
 * "filter --op sobel-magnitude"; `flag` the option that raises the budget.
 */
export function memoryBudgetCheck(what: string, bytesPerPixel: number, budgetBytes: number, flag = '--max-memory'): (width: number, height: number) => void {
  return (width, height) => {
    const estimate = width * height * bytesPerPixel;
    if (estimate <= budgetBytes) return;
    throw new MemoryBudgetError(
      `${width}x${height} image: ${what} needs about ${gib(estimate)} of working memory, over the ${gib(budgetBytes)} budget; ` +
        `raise ${flag} if this machine has the memory, or use a smaller image`,
    );
  };
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}
