/**
 * Option parsing shared by the commands: parsers that turn strings into numbers and throw commander's
 * InvalidArgumentError stating what is accepted, and the usage error a command raises after parsing.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { DecodeImageOptions } from '../codecs/decode-image.js';
import { ENGINE_CHOICES } from '../engine-choice.js';

/** A mistake in how the command was called (exit status 2), as opposed to a failure while running (1). */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A finite number, e.g. "2", "-0.5", "1e-3". */
export function parseNumber(value: string): number {
  const number = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(number)) throw new InvalidArgumentError(`expected a finite number, got "${value}".`);
  return number;
}

/** An integer >= 0. */
export function parseNonNegativeInteger(value: string): number {
  const number = parseNumber(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError(`expected an integer >= 0, got "${value}".`);
  return number;
}

/** An integer >= 1. */
export function parsePositiveInteger(value: string): number {
  const number = parseNumber(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`expected an integer >= 1, got "${value}".`);
  return number;
}

/** "S" (both axes) or "ROWS,COLS" (one value per axis, rows first). */
export function parseNumberOrPair(value: string): number | [number, number] {
  const parts = value.split(',');
  if (parts.length === 1) return parseNumber(value);
  if (parts.length !== 2) {
    throw new InvalidArgumentError(`expected one number or two separated by a comma (rows,columns), got "${value}".`);
  }
  return [parseNumber(parts[0]), parseNumber(parts[1])];
}

/** "MIN,MAX": two finite numbers with MIN <= MAX. */
export function parseRange(value: string): [number, number] {
  const parts = value.split(',');
  if (parts.length !== 2) throw new InvalidArgumentError(`expected MIN,MAX (two numbers separated by a comma), got "${value}".`);
  const [min, max] = parts.map(parseNumber);
  if (min > max) throw new InvalidArgumentError(`expected MIN <= MAX, got "${value}".`);
  return [min, max];
}

/** --engine, shared by every command that computes. */
export function engineOption(): Option {
  return new Option('--engine <engine>', 'cpu: float64 reference; gpu: any WebGPU adapter, SwiftShader included; auto: a hardware GPU, else cpu')
    .choices(ENGINE_CHOICES)
    .default('auto');
}

/** --max-pixels, the decoder's refusal limit for huge images. */
export function maxPixelsOption(): Option {
  return new Option('--max-pixels <n>', 'refuse images with more pixels than this, before decoding them (default 2^28)').argParser(parsePositiveInteger);
}

/** The DICOM value kinds `--dicom-values` takes (docs/io.md has the formulas). */
export const DICOM_VALUE_CHOICES = ['stored', 'modality', 'display'] as const;

/** --dicom-values: which pixels a DICOM input becomes (other kinds ignore it, as they have one kind of value). */
export function dicomValuesOption(): Option {
  return new Option(
    '--dicom-values <kind>',
    'DICOM inputs: stored (the stored integers), modality (rescale slope/intercept or Modality LUT, float), display (8-bit through the VOI window, MONOCHROME1 inverted)',
  )
    .choices(DICOM_VALUE_CHOICES)
    .default('display');
}

/** --frame: the frame of a multi-frame DICOM input. */
export function frameOption(): Option {
  return new Option('--frame <n>', 'multi-frame DICOM inputs: the frame to read, from 0').argParser(parseNonNegativeInteger).default(0);
}

/** The input flags every command that reads images shares (--max-pixels, --dicom-values, --frame). */
export interface InputFlags {
  maxPixels?: number;
  dicomValues?: (typeof DICOM_VALUE_CHOICES)[number];
  frame?: number;
}

/** The decoder's options from the input flags. */
export function readOptionsOf(flags: InputFlags): Omit<DecodeImageOptions, 'name'> {
  return { maxPixels: flags.maxPixels, dicomValues: flags.dicomValues, frame: flags.frame };
}

/** Writes a line to stderr (messages about the run, kept apart from results on stdout). */
export function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** "LOW,HIGH": two percentiles with 0 <= LOW < HIGH <= 100 (--clip-percentile). */
export function parsePercentiles(value: string): [number, number] {
  const [low, high] = parseRange(value);
  if (low < 0 || high > 100 || low >= high) throw new InvalidArgumentError(`expected LOW,HIGH with 0 <= LOW < HIGH <= 100, got "${value}".`);
  return [low, high];
}

/** --vmin / --vmax / --clip-percentile together: a range, or percentiles, not both. */
export function checkDisplayRange(options: { vmin?: number; vmax?: number; clipPercentile?: [number, number] }): void {
  if (options.vmin !== undefined && options.vmax !== undefined && options.vmin > options.vmax) {
    throw new UsageError(`--vmin must be <= --vmax, got ${options.vmin} > ${options.vmax}`);
  }
  if (options.clipPercentile !== undefined && (options.vmin !== undefined || options.vmax !== undefined)) {
    throw new UsageError('--clip-percentile sets vmin and vmax from the data; give it or --vmin/--vmax, not both');
  }
}
