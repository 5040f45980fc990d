/**
 * --max-file-size and --max-memory, shared by the commands that read images: the bounds that keep a
 * hostile or careless input from exhausting the machine (see docs/io.md, "Limits").
 */
import { totalmem } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_FILE_BYTES, formatBytes } from '../io/read-input.js';

/** Share of the machine's memory that working memory may take by default (the rest: the OS, other programs). */
export const DEFAULT_MEMORY_SHARE = 0.5;

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** "4G", "512M", "1.5GiB", "1000000": bytes, with binary K/M/G/T suffixes (KiB, KB and K alike). */
export function parseByteSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(value);
  const bytes = match ? Math.floor(Number(match[1]) * UNITS[match[2].toUpperCase()]) : NaN;
  if (!(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new InvalidArgumentError(`expected a size in bytes > 0, optionally with a K, M, G or T suffix (e.g. 4G), got "${value}".`);
  }
  return bytes;
}

/** The machine's memory as this process may use it: total RAM, or the cgroup's limit when lower. */
export function machineMemory(): number {
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  return constrained !== undefined && constrained > 0 ? Math.min(total, constrained) : total;
}

/** The default --max-memory: half the machine's memory, shared by all of a run's workers. */
export function defaultMemoryBudget(): number {
  return Math.floor(machineMemory() * DEFAULT_MEMORY_SHARE);
}

export function maxFileSizeOption(): Option {
  return new Option('--max-file-size <bytes>', `refuse input files larger than this (suffixes K, M, G; default ${formatBytes(DEFAULT_MAX_FILE_BYTES)})`).argParser(
    parseByteSize,
  );
}

export function maxMemoryOption(shared = false): Option {
  const split = shared ? ', split between the --jobs workers' : '';
  return new Option(
    '--max-memory <bytes>',
    `refuse images whose estimated working memory exceeds this${split} (suffixes K, M, G; default half of this machine's ${formatBytes(machineMemory())})`,
  ).argParser(parseByteSize);
}

