/** `xray-gpu animate INPUTS...|DIR --out FILE.gif`: a series as an animated GIF, frames in natural order. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { readImageFile } from '../io/image-file.js';
import { expandInputs } from '../pipeline/inputs.js';
import { seriesGif } from '../pipeline/series-outputs.js';
import { type InputFlags, UsageError, dicomValuesOption, frameOption, logToStderr, maxPixelsOption, parseNonNegativeInteger, parsePositiveInteger, readOptionsOf } from './options.js';
import { requireCanvas } from '../render/canvas.js';

/** GIF stores a frame's time as a 16-bit count of hundredths of a second. */
const MAX_FRAME_MS = 0xffff * 10;

/** --duration: how long each GIF frame is shown, checked before any work is done. */
export function frameDurationOption(description = 'time each frame is shown'): Option {
  return new Option('--duration <ms>', `${description}, 0..${MAX_FRAME_MS} (GIF keeps hundredths of a second)`)
    .argParser(parseFrameDuration)
    .default(500);
}

function parseFrameDuration(value: string): number {
  const ms = parseNonNegativeInteger(value);
  if (ms > MAX_FRAME_MS) throw new InvalidArgumentError(`expected at most ${MAX_FRAME_MS} ms (GIF's limit), got "${value}".`);
  return ms;
}

interface AnimateFlags extends InputFlags {
  out?: string;
  duration: number;
  maxSide?: number;
  quiet?: boolean;
  maxPixels?: number;
}

export function registerAnimateCommand(program: Command): void {
  program
    .command('animate')
    .description('write images (e.g. a patient\'s follow-ups) as one animated GIF, in natural filename order')
    .argument('<inputs...>', 'images of one size, or a directory of them')
    .option('--out <file>', 'FILE.gif (required)')
    .addOption(frameDurationOption())
    .addOption(new Option('--max-side <px>', 'shrink frames (by block means, a whole factor) to at most this many pixels a side (default: full size)').argParser(parsePositiveInteger))
    .option('--quiet', 'print nothing but errors')
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .action(async (inputs: string[], flags: AnimateFlags) => {
      if (flags.out === undefined || !flags.out.toLowerCase().endsWith('.gif')) {
        throw new UsageError(`--out is required and must end in .gif, got ${flags.out === undefined ? 'nothing' : `"${flags.out}"`}`);
      }
      requireCanvas(); // the strip figure: fail now, with one line, if @napi-rs/canvas is not installed
      const files = await expandInputs(inputs);
      const frames = [];
      for (const path of files) frames.push({ name: basename(path), image: await readImageFile(path, readOptionsOf(flags)) });
      const gif = seriesGif(frames, flags.duration, flags.maxSide);
      await mkdir(dirname(flags.out), { recursive: true });
      await writeFileAtomic(flags.out, gif);
      if (!flags.quiet) logToStderr(`${flags.out}: ${frames.length} frames, ${(gif.length / 1e6).toFixed(1)} MB`);
    });
}
