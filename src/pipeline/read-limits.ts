/**
 * The bounds a command puts on reading one input, as plain data (they cross to batch workers by
 * structured clone): the file size cap and the memory budget of the work the image will go through.
 */
import { memoryBudgetCheck } from '../filters/memory.js';
import type { ReadImageOptions } from '../io/image-file.js';

export interface ReadLimits {
  /** Largest input file in bytes (default: read-input.ts's). */
  maxFileBytes?: number;
  memory?: {
    /** The work, for the message, e.g. "filter --op sobel-magnitude". */
    what: string;
    bytesPerPixel: number;
    budgetBytes: number;
    /** How the user raises the budget, e.g. "--max-memory". */
    flag: string;
  };
}

/** `readImageFile` options enforcing `limits`. */
export function readLimitOptions(limits: ReadLimits | undefined): Pick<ReadImageOptions, 'maxFileBytes' | 'checkSize'> {
  const memory = limits?.memory;
  return {
    maxFileBytes: limits?.maxFileBytes,
    checkSize: memory ? memoryBudgetCheck(memory.what, memory.bytesPerPixel, memory.budgetBytes, memory.flag) : undefined,
  };
}
